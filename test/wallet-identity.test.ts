// Whose account a wallet sign-in lands in, and what the relying party is told. An account link
// rests on the issuer's certificate plus a subject identifier claim of one credential
// (OpenID4VP 1.0 §14.4, "End-User Authentication using Credentials"): namesakes, and every adult
// of an age-only query, get accounts of their own; a PID without an identifier is refused; a
// second credential in the response cannot steer the link; unrequested claims never reach tokens.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { provision, type Provisioned } from "./support/fixtures.ts";
import { startAuthorization } from "./support/oauth-flow.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { walletFlow } from "./support/wallet/sign-in-flow.ts";
import { PID_VCT, createTestIssuer, pidClaims, type TestIssuer } from "./support/wallet/test-issuer.ts";
import { createTestWallet, presentToVerifier, type PresentOptions, type TestWallet } from "./support/wallet/wallet.ts";

let server: SigilServer;
let p: Provisioned;
let issuerX: TestIssuer;
let issuerY: TestIssuer;
let flow: ReturnType<typeof walletFlow>;
const queryFiles: string[] = [];

beforeAll(async () => {
  [issuerX, issuerY] = await Promise.all([createTestIssuer({ caName: "Identity X CA" }), createTestIssuer({ caName: "Identity Y CA" })]);
  server = await startSigil();
  p = await provision(server);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuerX.ca.pem}`]);
  await server.cliOk(["trust", "add", "localhost", `--cert=${issuerY.ca.pem}`]);
  flow = walletFlow(server, p);
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
  for (const file of queryFiles) rmSync(file, { force: true });
});

const pidQuery = (id: string, claims: string[], extra: Record<string, unknown> = {}) =>
  ({ id, format: "dc+sd-jwt", meta: { vct_values: [PID_VCT] }, claims: claims.map((name) => ({ path: [name] })), ...extra });

async function queryFile(query: unknown): Promise<string> {
  const file = join(server.dataDir, "..", `dcql-${crypto.randomUUID()}.json`);
  await Bun.write(file, JSON.stringify(query));
  queryFiles.push(file);
  return file;
}

/** A confidential client of its own whose wallet sign-ins ask for `query`. */
async function clientWithQuery(name: string, query: unknown): Promise<string> {
  const out = await server.cliOk(["client", "add", "localhost", name, "--redirect-uri", p.redirectUri, "--confidential"]);
  await server.cliOk(["verifier", "set", "localhost", "--client", name, "--dcql", await queryFile(query)]);
  return /^secret: (\S+)$/m.exec(out)![1]!;
}

/** A whole sign-in of the client with this wallet: what the relying party receives. */
async function signIn(wallet: TestWallet, clientId = p.clientId, clientSecret = p.clientSecret, options: Omit<PresentOptions, "fetch"> = {}) {
  const run = await flow.startSignIn({ clientId });
  const presented = await presentToVerifier(wallet, run.wallet_url, { fetch, ...options });
  expect(presented.status).toBe(200);
  return { presented, ...(await flow.tokens(await flow.finish(run), run, { clientId, clientSecret })) };
}

const userCount = async () => (await server.cliOk(["user", "list", "localhost"])).trim().split("\n").length;

describe("the link rests on a subject identifier of one person", () => {
  test("two namesakes born the same day, with different personal_administrative_numbers, get two accounts", async () => {
    const first = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "NS-0001" }) });
    const namesake = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "NS-0002" }) });
    const a = await signIn(first);
    // Every sign-in query asks for an identifier, as one claim_sets option per identifier (OpenID4VP 1.0 §6.4.1).
    const asked = a.presented.request.payload.dcql_query.credentials[0]!;
    expect(asked.claims!.map((claim) => claim.path)).toEqual(expect.arrayContaining([["personal_administrative_number"], ["sub"]]));
    expect(asked.claim_sets!.length).toBeGreaterThanOrEqual(2);
    const b = await signIn(namesake);
    expect(b.idToken.given_name).toBe(a.idToken.given_name as string);
    expect(b.idToken.birthdate).toBe(a.idToken.birthdate as string);
    expect(b.idToken.sub).not.toBe(a.idToken.sub as string);
    // The identifier is Sigil's to bind the account with, not a claim the relying party asked for.
    expect(a.idToken.personal_administrative_number).toBeUndefined();
    // The same person again (a re-issued PID, a new holder key) lands in the same account.
    const again = await signIn(await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "NS-0001" }) }));
    expect(again.idToken.sub).toBe(a.idToken.sub as string);
  });

  test("a PID with `sub` instead of a personal_administrative_number signs in by it", async () => {
    const claims = pidClaims({ personal_administrative_number: null, sub: "urn:uuid:6c5c0a49-b589-431d-bae7-219122a9ec2c", given_name: "Subra" });
    const a = await signIn(await createTestWallet(issuerX, { claims }));
    const b = await signIn(await createTestWallet(issuerX, { claims }));
    expect(b.idToken.sub).toBe(a.idToken.sub as string);
    expect(a.idToken.sub).not.toBe("urn:uuid:6c5c0a49-b589-431d-bae7-219122a9ec2c");
  });

  test("a client that asks only for age_over_18 gets the identifier added, and two adults get two accounts", async () => {
    const secret = await clientWithQuery("age-rp", { credentials: [pidQuery("pid", ["age_over_18"])] });
    const adult1 = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "AD-0001", given_name: "Ann", age_over_18: true }) });
    const adult2 = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "AD-0002", given_name: "Ben", age_over_18: true }) });
    const one = await signIn(adult1, "age-rp", secret);
    const asked = one.presented.request.payload.dcql_query.credentials[0]!;
    expect(asked.claims!.map((claim) => claim.path)).toEqual(expect.arrayContaining([["age_over_18"], ["personal_administrative_number"], ["sub"]]));
    const two = await signIn(adult2, "age-rp", secret);
    expect(two.idToken.sub).not.toBe(one.idToken.sub as string);
    expect(one.idToken.age_over_18).toBe(true);
    expect(one.idToken.given_name).toBeUndefined();
  });

  test("a PID that discloses no identifier is refused with a clear message, and no account is made", async () => {
    const before = await userCount();
    const anonymous = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: null, given_name: "Nemo" }) });
    const run = await flow.startSignIn();
    const presented = await presentToVerifier(anonymous, run.wallet_url, { fetch });
    expect(presented.status).toBe(400);
    const refused = await flow.finish(run);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: string; error_description: string; code?: string };
    expect(body.error).toBe("access_denied");
    expect(body.error_description).toContain("identif");
    expect(body.code).toBeUndefined();
    expect(await userCount()).toBe(before);
  });
});

describe("one credential decides the account and the claims", () => {
  test("a query allowing several credentials (multiple: true) is refused for wallet sign-in, when set and when started", async () => {
    const multiple = { credentials: [pidQuery("pid", ["given_name", "family_name", "birthdate"], { multiple: true })] };
    const file = await queryFile(multiple);
    for (const args of [["--client", p.clientId, "--dcql", file], ["--dcql", file]]) {
      const refused = await server.cli(["verifier", "set", "localhost", ...args]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain("multiple");
    }
    // A query stored before this rule (or written into the store by hand) is refused when a sign-in starts.
    await server.cliOk(["client", "add", "localhost", "multi-rp", "--redirect-uri", p.redirectUri, "--confidential"]);
    const db = new Database(join(server.dataDir, "sigil.db"));
    db.run("INSERT INTO client_dcql_queries (tenant, client_id, dcql_query_json) VALUES ('localhost', 'multi-rp', ?)", [JSON.stringify(multiple)]);
    db.close();
    const { returnTo } = await startAuthorization(server, p, { clientId: "multi-rp" });
    const started = await flow.post("wallet-start", { return: returnTo });
    expect(started.status).toBe(400);
    const body = (await started.json()) as { error: string; error_description: string };
    expect(body.error).toBe("invalid_request");
    expect(body.error_description).toContain("multiple");
  });

  test("a genuine PID from one issuer plus a forged one of the victim from another cannot enter the victim's account", async () => {
    const secret = await clientWithQuery("two-rp", { credentials: [pidQuery("pid", ["given_name", "family_name", "birthdate"]), pidQuery("pid2", ["given_name", "family_name", "birthdate"])] });
    const victimClaims = pidClaims({ personal_administrative_number: "V-0001", given_name: "Victoria", family_name: "Opfer", birthdate: "1980-01-01" });
    const victim = await signIn(await createTestWallet(issuerX, { claims: victimClaims }), "two-rp", secret);
    // The attacker's own genuine PID from X first, then a PID of the victim that trusted issuer Y signed.
    const attacker = await createTestWallet(issuerX, { claims: pidClaims({ personal_administrative_number: "M-0001", given_name: "Mallory", family_name: "Böse", birthdate: "1990-02-02" }) });
    const forged = await createTestWallet(issuerY, { claims: victimClaims });
    const attack = await signIn(attacker, "two-rp", secret, { answerWith: { pid2: forged } });
    expect(attack.idToken.sub).not.toBe(victim.idToken.sub as string);
    // The claims come from the same credential as the link: the first credential query answered.
    expect(attack.idToken.given_name).toBe("Mallory");
    expect(attack.userinfo.family_name).toBe("Böse");
  });
});

describe("released claims", () => {
  test("claims the query did not ask for (a plaintext email, email_verified: true, role) reach neither the id_token nor userinfo", async () => {
    const wallet = await createTestWallet(issuerX, {
      claims: pidClaims({ personal_administrative_number: "EM-0001", given_name: "Emma" }),
      plaintext: { email: "victim@example.org", email_verified: true, phone_number_verified: true, role: "admin", groups: ["admin"] },
    });
    const { idToken, userinfo } = await signIn(wallet);
    expect(idToken.given_name).toBe("Emma");
    for (const claims of [idToken, userinfo]) {
      expect(claims.email).toBeUndefined();
      expect(claims.email_verified).toBeUndefined();
      expect(claims.phone_number_verified).toBeUndefined();
      expect(claims.role).not.toBe("admin");
      expect(claims.groups).not.toContain("admin");
      expect(claims.nationalities).toBeUndefined();
    }
  });
});
