// The service files in the repository: the systemd unit passes systemd-analyze verify, and the
// Dockerfile keeps what its README section promises (Docker itself is not available where tests run).
import { expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/sigil-cli.ts";

const unit = readFileSync(join(ROOT, "deploy", "sigil.service"), "utf8");
const analyze = Bun.which("systemd-analyze");

test.if(analyze !== null)("deploy/sigil.service passes systemd-analyze verify with no warning", async () => {
  // verify insists that ExecStart names an executable that exists: point it at a stand-in, the rest of the unit unchanged.
  const dir = mkdtempSync(join(tmpdir(), "sigil-unit-"));
  try {
    const stub = join(dir, "sigil");
    writeFileSync(stub, "#!/bin/sh\nexit 0\n");
    chmodSync(stub, 0o755);
    expect(unit).toContain("ExecStart=/usr/local/bin/sigil serve");
    writeFileSync(join(dir, "sigil.service"), unit.replace("ExecStart=/usr/local/bin/sigil ", `ExecStart=${stub} `));
    const proc = Bun.spawn([analyze!, "verify", join(dir, "sigil.service")], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect({ code, output: stdout + stderr }).toEqual({ code: 0, output: "" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.if(analyze === null)("deploy/sigil.service is not verified here: systemd-analyze is not installed (apt-get install systemd)", () => {});

test("the unit runs as its own unprivileged user with its data in the state directory and the system read-only", () => {
  for (const line of ["DynamicUser=yes", "StateDirectory=sigil", "ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=", "--data ${STATE_DIRECTORY}"]) {
    expect(unit).toContain(line);
  }
});

test("the Dockerfile: Debian slim, the compiled binary, a data volume, a non-root user, a health check on /healthz", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  expect(dockerfile).toMatch(/^FROM debian:[a-z]+-slim$/m);
  expect(dockerfile).toMatch(/^COPY .*dist\/sigil \/usr\/local\/bin\/sigil$/m);
  expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
  expect(dockerfile).toMatch(/^USER sigil:sigil$/m);
  expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
  expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD curl -fsS http:\/\/127\.0\.0\.1:8080\/healthz/m);
});
