/**
 * The verifier's settings and trust-anchor management (what `sigil verifier`, `sigil trust` and the
 * admin API change), loaded on first use: they need the OpenID4VP engine and @peculiar/x509, which
 * start-up does not load, and @peculiar/x509 needs reflect-metadata evaluated before it.
 */
let loading: Promise<typeof import("./manage-settings.ts") & typeof import("./manage-trust.ts")> | undefined;

export function loadVerifierManagement() {
  loading ??= import("reflect-metadata")
    .then(() => Promise.all([import("./manage-settings.ts"), import("./manage-trust.ts")]))
    .then(([settings, trust]) => ({ ...settings, ...trust }));
  return loading;
}
