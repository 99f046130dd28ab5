// The battery's OID4VP verifier: a real Sigil set up the way conformance/setup sets it up for the
// oid4vp-1final verifier plans (a trust anchor for the PID issuer, an access certificate under a CA
// the suite is given as client.request_object_trust_anchor_pem, the client_id prefix of the plan
// variant), started by the test harness, and the test wallet standing in for the suite's mock wallet.
import { expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { provision, type Provisioned } from "../../../test/support/fixtures.ts";
import { loopbackFetch } from "../../../test/support/relying-party.ts";
import { removeDataDir, startSigil, type SigilServer } from "../../../test/support/sigil.ts";
import { provisionedTemplate } from "../../../test/support/template.ts";
import { perFile } from "./per-file.ts";
import type { FetchedRequest } from "../../../test/support/wallet/fetch-request-object.ts";
import { createTestCa, issueLeaf, type TestCa } from "../../../test/support/wallet/test-pki.ts";
import { createTestIssuer, type TestIssuer } from "../../../test/support/wallet/test-issuer.ts";
import { createMdocIssuer, MDL_DOCTYPE, MDL_NAMESPACE, type MdocIssuer } from "../../../test/support/wallet/mdoc-issuer.ts";
import { createTestWallet, presentToVerifier, type PresentOptions, type PresentResult, type TestWallet } from "../../../test/support/wallet/wallet.ts";

export type ClientIdPrefix = "x509_hash" | "x509_san_dns";
export type ResponseMode = "direct_post" | "direct_post.jwt";

/** One plan/variant combination Sigil runs (conformance/plans/oid4vp-*.json). */
export interface VerifierVariant {
  plan: "oid4vp-1final-verifier-test-plan" | "oid4vp-1final-verifier-haip-test-plan";
  vpProfile: "plain_vp" | "haip";
  clientIdPrefix: ClientIdPrefix;
  responseMode: ResponseMode;
  /** The plan's credential_format; absent means sd_jwt_vc. */
  credentialFormat?: "sd_jwt_vc" | "iso_mdl";
}

/** credential_format=sd_jwt_vc, request_method=request_uri_signed throughout. */
export const VARIANTS: readonly VerifierVariant[] = [
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_san_dns", responseMode: "direct_post.jwt" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_san_dns", responseMode: "direct_post" },
  { plan: "oid4vp-1final-verifier-haip-test-plan", vpProfile: "haip", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt" },
];

/** credential_format=iso_mdl (conformance/plans/oid4vp-verifier-*iso-mdl*.json): the plain plan with x509_hash and the HAIP plan, both response modes. */
export const MDOC_VARIANTS: readonly VerifierVariant[] = [
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt", credentialFormat: "iso_mdl" },
  { plan: "oid4vp-1final-verifier-test-plan", vpProfile: "plain_vp", clientIdPrefix: "x509_hash", responseMode: "direct_post", credentialFormat: "iso_mdl" },
  { plan: "oid4vp-1final-verifier-haip-test-plan", vpProfile: "haip", clientIdPrefix: "x509_hash", responseMode: "direct_post.jwt", credentialFormat: "iso_mdl" },
  { plan: "oid4vp-1final-verifier-haip-test-plan", vpProfile: "haip", clientIdPrefix: "x509_hash", responseMode: "direct_post", credentialFormat: "iso_mdl" },
];

/**
 * The query conformance/run sends for iso_mdl plans (the `verifier.dcql_query` of those plan files): the
 * suite's mock wallet (multipaz TestAppUtils) holds an mDL and answers the first mso_mdoc credential query.
 */
export const MDL_QUERY = {
  credentials: [{ id: "mdl", format: "mso_mdoc", meta: { doctype_value: MDL_DOCTYPE }, claims: [{ path: [MDL_NAMESPACE, "family_name"] }, { path: [MDL_NAMESPACE, "given_name"] }] }],
};

export const variantName = (v: VerifierVariant) => `${v.vpProfile === "haip" ? "haip" : "plain_vp"}, ${v.credentialFormat ?? "sd_jwt_vc"}, ${v.clientIdPrefix}, ${v.responseMode}`;

/** The tenant whose verifier policy carries each client_id prefix. */
export const TENANT_OF: Record<ClientIdPrefix, string> = { x509_hash: "localhost", x509_san_dns: "san.localhost" };

interface Template {
  dir: string;
  issuer: TestIssuer;
  mdocIssuer: MdocIssuer;
  accessCa: TestCa;
  tenants: Record<ClientIdPrefix, Provisioned>;
}

const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n").replace(/\n?$/, "\n")}-----END ${label}-----\n`;

/**
 * Once per test process, through the real CLI, what conformance/setup does for the verifier plans:
 * two tenants (localhost with client_id prefix x509_hash, san.localhost with x509_san_dns), each
 * trusting the PID issuer's CA (`trust add`), each with an access certificate issued by a CA that
 * is not in x5c (`verifier set-cert`; the suite refuses a self-signed leaf), and the policy
 * (`verifier set --client-id-prefix`).
 */
function template(): Promise<Template> {
  return provisionedTemplate("conformance-oid4vp", async (server) => {
    const issuer = await createTestIssuer({ caName: "CN=Conformance offline PID Issuer CA" });
    const accessCa = await createTestCa("CN=Conformance offline Access CA");
    // The iso_mdl plans: an IACA whose document signer signs the mDL, trusted like the PID issuer's CA.
    const mdocIssuer = await createMdocIssuer(issuer, { iacaName: "CN=Conformance offline IACA" });
    const tenants = {} as Record<ClientIdPrefix, Provisioned>;
    await Promise.all((["x509_hash", "x509_san_dns"] as const).map(async (prefix) => {
      const host = TENANT_OF[prefix];
      tenants[prefix] = await provision(server, host);
      const leaf = await issueLeaf(accessCa, { subject: `CN=${host}`, dnsNames: [host] });
      const dir = mkdtempSync(join(tmpdir(), "sigil-oid4vp-cert-"));
      try {
        await Bun.write(join(dir, "chain.pem"), leaf.certificate.toString("pem") + "\n");
        await Bun.write(join(dir, "key.pem"), pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", leaf.keys.privateKey)));
        await Promise.all([
          server.cliOk(["verifier", "set-cert", host, "--cert", join(dir, "chain.pem"), "--key", join(dir, "key.pem")]),
          server.cliOk(["trust", "add", host, `--cert=${issuer.ca.pem}`]),
        ]);
        await server.cliOk(["trust", "add", host, `--cert=${mdocIssuer.iaca.pem}`]);
        await server.cliOk(["verifier", "set", host, "--client-id-prefix", prefix]);
      } finally {
        removeDataDir(dir);
      }
    }));
    return { issuer, mdocIssuer, accessCa, tenants };
  });
}

export interface Started {
  transactionId: string;
  walletUrl: string;
  requestUri: string;
  variant: VerifierVariant;
}

export interface Verifier {
  server: SigilServer;
  issuer: TestIssuer;
  wallet: TestWallet;
  accessCa: TestCa;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Starts a presentation the way a relying party does (POST /oid4vp/v1/presentations), in the variant's tenant and response mode. */
  start(variant: VerifierVariant): Promise<Started>;
  /** The relying party's view of the transaction (GET /oid4vp/v1/presentations/{id}). */
  status(started: Started): Promise<{ status: string; error?: string; claims?: Record<string, Record<string, unknown>> }>;
  present(started: Started | FetchedRequest, options?: Omit<PresentOptions, "fetch">): Promise<PresentResult>;
  stop(): Promise<void>;
}

/** A fresh Sigil on a copy of the provisioned data directory, and a fresh holder. */
export async function startVerifier(): Promise<Verifier> {
  const t = await template();
  const server = await startSigil({ template: t.dir, removeOnStop: true, watchdog: true, settleMs: 0 });
  const wallet = await createTestWallet(t.issuer, { mdocIssuer: t.mdocIssuer });
  // Sigil hands out absolute URLs (request_uri, response_uri) on its tenants' *.localhost names.
  const fetchFn = loopbackFetch(server);
  const basic = (p: Provisioned) => `Basic ${btoa(`${p.clientId}:${p.clientSecret}`)}`;
  return {
    server,
    issuer: t.issuer,
    wallet,
    accessCa: t.accessCa,
    fetch: fetchFn,
    async start(variant) {
      const p = t.tenants[variant.clientIdPrefix];
      const response = await server.fetch("/oid4vp/v1/presentations", {
        host: p.host, method: "POST", headers: { authorization: basic(p), "content-type": "application/json" },
        body: JSON.stringify({ response_mode: variant.responseMode, ...(variant.credentialFormat === "iso_mdl" ? { dcql_query: MDL_QUERY } : {}) }),
      });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { transaction_id: string; wallet_url: string; request_uri: string };
      return { transactionId: body.transaction_id, walletUrl: body.wallet_url, requestUri: body.request_uri, variant };
    },
    async status(started) {
      const p = t.tenants[started.variant.clientIdPrefix];
      const response = await server.fetch(`/oid4vp/v1/presentations/${started.transactionId}`, { host: p.host, headers: { authorization: basic(p) } });
      expect(response.status).toBe(200);
      return (await response.json()) as { status: string; error?: string };
    },
    present(started, options = {}) {
      const target = "walletUrl" in started ? started.walletUrl : started.jwt;
      return presentToVerifier(wallet, target, { ...options, fetch: fetchFn });
    },
    stop: () => server.stop(),
  };
}

/** The file's verifier (startVerifier in beforeAll, stop in afterAll), usable directly in test bodies. */
export const useVerifier = (): Verifier => perFile(startVerifier);
