# Sigil in a container: the compiled binary on Debian slim, run as an unprivileged user, its data
# in a volume. Build the binary first (npm ci && npm run build), then:
#   docker build -t sigil .
#   docker run -p 8080:8080 -v sigil-data:/data sigil
# The master key is made in /data/master.key on first start; keep it with every backup, or pass
# SIGIL_MASTER_KEY instead. See README, "Running it in a container".
FROM debian:bookworm-slim

# ca-certificates: SMTP over TLS and the wallet verifier's status-list fetches; curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 sigil \
 && useradd --system --uid 10001 --gid sigil --home-dir /data --no-create-home --shell /usr/sbin/nologin sigil \
 && mkdir -p /data && chown sigil:sigil /data && chmod 0700 /data

COPY --chown=root:root --chmod=0755 dist/sigil /usr/local/bin/sigil

USER sigil:sigil
ENV SIGIL_DATA=/data SIGIL_PORT=8080 SIGIL_LISTEN=0.0.0.0 SIGIL_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
# Metrics stay off unless SIGIL_METRICS_LISTEN is set (e.g. 0.0.0.0:9464, then publish that port privately).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/sigil"]
CMD ["serve"]
