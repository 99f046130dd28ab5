// The operator's command-line contract, exercised with the real CLI against the data
// directory of a running server: every change is visible to that server at once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { ha1, md5Hex, provision, type Provisioned } from "../support/fixtures.ts";
import { startAuthorization } from "../support/oauth-flow.ts";
import {
  expectCliRefusal, jwtPart, kidOf, loginStatus, publishedKids, refreshWith, signInWithHa1, storeBytes, tokensFor, tokensForHa1,
} from "../support/operations.ts";
import { removeDataDir, sigilCommand, startSigil, type SigilServer } from "../support/sigil.ts";

let server: SigilServer;
let p: Provisioned;
beforeAll(async () => {
  // Several tests sign in with wrong passwords on purpose: keep the per-IP failure limit out of the way.
  server = await startSigil({ env: { SIGIL_LOGIN_FAILURE_LIMIT: "100000" } });
  p = await provision(server);
});
afterAll(async () => {
  await server?.stop();
  if (server) removeDataDir(server.dataDir);
});

const VALID_HA1 = "0123456789abcdef0123456789abcdef";
const lines = (text: string) => text.split("\n").filter((line) => line.length > 0);

describe("first start", () => {
  test("serve on an empty data dir creates only the tenant localhost and prints the set-up link; a second start creates no other tenant", async () => {
    const fresh = await startSigil();
    try {
      expect(lines(await fresh.cliOk(["tenant", "list"]))).toEqual(["localhost\trealm=localhost"]);
      expect(fresh.setupLink).toMatch(new RegExp(`^http://localhost:${fresh.port}/setup\\.html#token=[A-Za-z0-9_-]{20,}$`));
      const again = await fresh.restart();
      try {
        expect(again.dataDir).toBe(fresh.dataDir);
        expect(lines(await again.cliOk(["tenant", "list"]))).toEqual(["localhost\trealm=localhost"]);
      } finally {
        await again.stop();
      }
    } finally {
      await fresh.stop();
      removeDataDir(fresh.dataDir);
    }
  });

  test("the master key file DATA/master.key has mode 0600", () => {
    const mode = statSync(join(server.dataDir, "master.key")).mode & 0o777;
    expect(mode.toString(8)).toBe("600");
  });

  // The login endpoint takes the HA1 itself as the credential, so whoever reads the store can sign in as anyone:
  // it deserves the same owner-only mode as master.key, whatever the mode of the directory it sits in.
  test("the store files sigil.db, -wal and -shm, which hold every user's HA1, are readable by their owner only", () => {
    const modes = Object.fromEntries(["sigil.db", "sigil.db-wal", "sigil.db-shm"].map((name) => [name, (statSync(join(server.dataDir, name)).mode & 0o777).toString(8)]));
    expect(modes).toEqual({ "sigil.db": "600", "sigil.db-wal": "600", "sigil.db-shm": "600" });
  });
});

describe("tenant", () => {
  test("tenant add HOST makes a new issuer the running server answers at once; tenant list shows it", async () => {
    const before = await server.fetch("/.well-known/openid-configuration", { host: "acme.localhost" });
    expect(before.status).not.toBe(200);
    await before.body?.cancel();

    const out = await server.cliOk(["tenant", "add", "acme.localhost"]);
    expect(out).toContain("acme.localhost");
    expect(lines(await server.cliOk(["tenant", "list"]))).toContain("acme.localhost\trealm=acme.localhost");
    const after = await server.fetch("/.well-known/openid-configuration", { host: "acme.localhost" });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { issuer: string }).issuer).toBe(`http://acme.localhost:${server.port}`);
  });

  test("tenant add --realm R sets the realm HA1 is computed over: the host name as realm no longer works", async () => {
    await server.cliOk(["tenant", "add", "realm.localhost", "--realm", "Example-Realm"]);
    expect(lines(await server.cliOk(["tenant", "list"]))).toContain("realm.localhost\trealm=Example-Realm");
    const config = await server.fetch("/oauth2/v1/login-config", { host: "realm.localhost" });
    expect(((await config.json()) as { realm: string }).realm).toBe("Example-Realm");

    await server.cliOk(["user", "add", "realm.localhost", "rita", "--password-stdin"], "rita-secret\n");
    await server.cliOk(["client", "add", "realm.localhost", "rp", "--redirect-uri", p.redirectUri, "--confidential"]);
    const rp = { ...p, host: "realm.localhost" };
    expect(await loginStatus(server, rp, "rita", "rita-secret", "Example-Realm")).toBe(200);
    expect(await loginStatus(server, rp, "rita", "rita-secret", "realm.localhost")).toBe(401);
  });
});

describe("user add", () => {
  test("--password-stdin strips exactly one trailing newline: stdin \"p w\\n\" sets the password \"p w\"", async () => {
    await server.cliOk(["user", "add", "localhost", "spacey", "--password-stdin"], "p w\n");
    expect(await loginStatus(server, p, "spacey", "p w")).toBe(200);
    expect(await loginStatus(server, p, "spacey", "p w\n")).toBe(401);
    expect(await loginStatus(server, p, "spacey", "p")).toBe(401);
  });

  test("--password-stdin strips only one newline: stdin \"p w\\n\\n\" sets the password \"p w\\n\"", async () => {
    await server.cliOk(["user", "add", "localhost", "newliner", "--password-stdin"], "p w\n\n");
    expect(await loginStatus(server, p, "newliner", "p w\n")).toBe(200);
    expect(await loginStatus(server, p, "newliner", "p w")).toBe(401);
  });

  test("--password-stdin without a trailing newline keeps every character", async () => {
    await server.cliOk(["user", "add", "localhost", "exact", "--password-stdin"], "p w ");
    expect(await loginStatus(server, p, "exact", "p w ")).toBe(200);
    expect(await loginStatus(server, p, "exact", "p w")).toBe(401);
  });

  test("--ha1 HEX32 stores that HA1: signing in with exactly that digest works, another does not", async () => {
    const digest = md5Hex("whatever the user typed");
    await server.cliOk(["user", "add", "localhost", "hashed", "--ha1", digest]);
    const ok = await signInWithHa1(server, p, "hashed", digest);
    expect(ok.response.status).toBe(200);
    expect(((await ok.response.json()) as { code: string }).code.length).toBeGreaterThan(20);
    const wrong = await signInWithHa1(server, p, "hashed", md5Hex("something else"));
    expect(wrong.response.status).toBe(401);
  });

  test("--role, --email, --name and --groups a,b appear in the id_token: role, groups with a, b and the role", async () => {
    await server.cliOk(
      ["user", "add", "localhost", "gina", "--password-stdin", "--role", "guest", "--email", "gina@example.org", "--name", "Gina Guest", "--groups", "a,b"],
      "gina-pw\n",
    );
    const tokens = await tokensFor(server, p, "gina", "gina-pw");
    const claims = jwtPart(tokens.id_token!, 1);
    expect(claims.role).toBe("guest");
    expect([...(claims.groups as string[])].sort()).toEqual(["a", "b", "guest"]);
    expect(claims.email).toBe("gina@example.org");
    expect(claims.name).toBe("Gina Guest");
    expect(claims.preferred_username).toBe("gina");
  });

  test("--role admin makes an admin; without --role a user is role user", async () => {
    await server.cliOk(["user", "add", "localhost", "ada", "--password-stdin", "--role", "admin"], "ada-pw\n");
    expect(jwtPart((await tokensFor(server, p, "ada", "ada-pw")).id_token!, 1).role).toBe("admin");
    expect(jwtPart((await tokensFor(server, p, p.username, p.password)).id_token!, 1).role).toBe("user");
  });

  test("--role siponly is stored and keeps the user out of web sign-in (403)", async () => {
    await server.cliOk(["user", "add", "localhost", "sippy", "--password-stdin", "--role", "siponly"], "sip-pw\n");
    expect(lines(await server.cliOk(["user", "list", "localhost"])).find((line) => line.startsWith("sippy\t"))?.split("\t")[1]).toBe("siponly");
    expect(await loginStatus(server, p, "sippy", "sip-pw")).toBe(403);
  });
});

describe("user list, set-password, disable, remove", () => {
  test("user list prints username, role, email, state and sub, one user a line", async () => {
    await server.cliOk(["user", "add", "localhost", "listed", "--ha1", VALID_HA1, "--role", "guest", "--email", "listed@example.org"]);
    const line = lines(await server.cliOk(["user", "list", "localhost"])).find((l) => l.startsWith("listed\t"));
    expect(line).toMatch(/^listed\tguest\tlisted@example\.org\tenabled\t[A-Za-z0-9_-]{16,}$/);
    const alice = lines(await server.cliOk(["user", "list", "localhost"])).find((l) => l.startsWith("alice\t"));
    const sub = alice!.split("\t")[4];
    expect(jwtPart((await tokensFor(server, p, p.username, p.password)).id_token!, 1).sub).toBe(sub);
  });

  test("user set-password: the old password fails and the new one works", async () => {
    await server.cliOk(["user", "add", "localhost", "changer", "--password-stdin"], "old-pw\n");
    expect(await loginStatus(server, p, "changer", "old-pw")).toBe(200);
    await server.cliOk(["user", "set-password", "localhost", "changer", "--password-stdin"], "new-pw\n");
    expect(await loginStatus(server, p, "changer", "old-pw")).toBe(401);
    expect(await loginStatus(server, p, "changer", "new-pw")).toBe(200);
  });

  test("user disable: sign-in fails and a refresh token issued before stops working", async () => {
    await server.cliOk(["user", "add", "localhost", "dora", "--password-stdin"], "dora-pw\n");
    const tokens = await tokensFor(server, p, "dora", "dora-pw");
    const rotated = await refreshWith(server, p, tokens.refresh_token);
    expect(rotated.status).toBe(200);

    await server.cliOk(["user", "disable", "localhost", "dora"]);
    expect(lines(await server.cliOk(["user", "list", "localhost"])).find((l) => l.startsWith("dora\t"))?.split("\t")[3]).toBe("disabled");
    expect(await loginStatus(server, p, "dora", "dora-pw")).toBe(401);
    const refused = await refreshWith(server, p, rotated.body.refresh_token!);
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 400, error: "invalid_grant" });
  });

  test("user remove: the user is gone from the list, cannot sign in, and their refresh token is refused", async () => {
    await server.cliOk(["user", "add", "localhost", "remy", "--password-stdin"], "remy-pw\n");
    const tokens = await tokensFor(server, p, "remy", "remy-pw");
    await server.cliOk(["user", "remove", "localhost", "remy"]);
    expect(lines(await server.cliOk(["user", "list", "localhost"])).some((l) => l.startsWith("remy\t"))).toBe(false);
    expect(await loginStatus(server, p, "remy", "remy-pw")).toBe(401);
    const refused = await refreshWith(server, p, tokens.refresh_token);
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 400, error: "invalid_grant" });
  });
});

describe("client", () => {
  test("client add --confidential prints the secret once on a line of its own; client list never shows it", async () => {
    const out = await server.cliOk(["client", "add", "localhost", "conf", "--redirect-uri", "https://conf.example/cb", "--confidential"]);
    const secretLines = lines(out).filter((line) => line.startsWith("secret: "));
    expect(secretLines).toHaveLength(1);
    const secret = /^secret: (\S+)$/.exec(secretLines[0]!)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(out.split(secret!).length - 1).toBe(1);

    // It is the real secret: it passes client authentication (the grant is what fails), a wrong one does not.
    const conf = { ...p, clientId: "conf", clientSecret: secret!, redirectUri: "https://conf.example/cb" };
    expect((await refreshWith(server, conf, "no-such-token")).body.error).toBe("invalid_grant");
    expect((await refreshWith(server, { ...conf, clientSecret: `${secret}x` }, "no-such-token")).body.error).toBe("invalid_client");

    const listed = await server.cliOk(["client", "list", "localhost"]);
    expect(lines(listed)).toContain("conf\tconfidential\thttps://conf.example/cb");
    expect(lines(listed)).toContain(`spa\tpublic\t${p.redirectUri}`);
    expect(listed).not.toContain(secret!);
    expect(listed).not.toContain(p.clientSecret);
  });

  test("the store on disk (sigil.db and its -wal) holds neither a client secret nor a plaintext password", async () => {
    const password = "Plaintext-Canary-Password-5e1c9";
    await server.cliOk(["user", "add", "localhost", "canary-user", "--password-stdin"], `${password}\n`);
    const out = await server.cliOk(["client", "add", "localhost", "canary-client", "--redirect-uri", "https://canary.example/cb", "--confidential"]);
    const secret = /^secret: (\S+)$/m.exec(out)![1]!;
    expect(await loginStatus(server, p, "canary-user", password)).toBe(200);

    const bytes = storeBytes(server.dataDir);
    // The rows just written are in what we read, so an absence below means something.
    expect(bytes).toContain("canary-user");
    expect(bytes).toContain("canary-client");
    // HA1 signs in as it is: it is stored sealed (test/secrets-at-rest.test.ts looks closer).
    expect(bytes).not.toContain(ha1("canary-user", "localhost", password));
    expect(bytes).not.toContain(password);
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain(p.clientSecret);
    expect(bytes).not.toContain(p.password);
  });

  test("client remove: the running server refuses the client at authorize and at the token endpoint at once", async () => {
    const out = await server.cliOk(["client", "add", "localhost", "doomed", "--redirect-uri", p.redirectUri, "--confidential"]);
    const doomed = { ...p, clientId: "doomed", clientSecret: /^secret: (\S+)$/m.exec(out)![1]! };
    await startAuthorization(server, doomed);
    expect((await refreshWith(server, doomed, "no-such-token")).body.error).toBe("invalid_grant");

    await server.cliOk(["client", "remove", "localhost", "doomed"]);
    expect(lines(await server.cliOk(["client", "list", "localhost"])).some((l) => l.startsWith("doomed\t"))).toBe(false);
    const refused = await refreshWith(server, doomed, "no-such-token");
    expect({ status: refused.status, error: refused.body.error }).toEqual({ status: 401, error: "invalid_client" });
    await expect(startAuthorization(server, doomed)).rejects.toThrow(/did not go to the login page/);
  });
});

describe("common options", () => {
  test("--data may come before the command", async () => {
    const result = await server.cli(["tenant", "list"]);
    expect(result.code).toBe(0);
    // server.cli appends --data; the same data directory named first must give the same answer.
    const proc = Bun.spawn([...sigilCommand(), "--data", server.dataDir, "tenant", "list"], { stdout: "pipe", stderr: "pipe", env: { ...process.env, SIGIL_DATA: undefined } });
    const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(stdout).toBe(result.stdout);
  });
});

describe("keys", () => {
  test("keys rotate HOST installs a new signing key the running server signs with at once, the old one stays published", async () => {
    const oldKid = kidOf((await tokensFor(server, p, p.username, p.password)).id_token!);
    const out = await server.cliOk(["keys", "rotate", "localhost"]);
    const newKid = (await publishedKids(server)).find((kid) => kid !== oldKid);
    expect(newKid).toBeDefined();
    expect(out).toContain(newKid!);
    expect(await publishedKids(server)).toEqual([oldKid, newKid!].sort());
    expect(kidOf((await tokensFor(server, p, p.username, p.password)).id_token!)).toBe(newKid!);
    const listed = lines(await server.cliOk(["keys", "list", "localhost"]));
    expect(listed.find((l) => l.startsWith(`${newKid}\t`))?.split("\t")[1]).toBe("active");
    expect(listed.find((l) => l.startsWith(`${oldKid}\t`))?.split("\t")[1]).toBe("previous");
  });
});

describe("bad input: one line on stderr starting with sigil:, a non-zero exit, no stack trace", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown command", ["frobnicate"], /unknown command/],
    ["an unknown tenant subcommand", ["tenant", "frobnicate"], /usage|unknown|frobnicate/],
    ["an unknown user subcommand", ["user", "frobnicate"], /usage|unknown|frobnicate/],
    ["an unknown client subcommand", ["client", "frobnicate"], /usage|unknown|frobnicate/],
    ["an unknown keys subcommand", ["keys", "frobnicate", "localhost"], /usage|unknown|frobnicate/],
    ["an unknown keys subcommand without a host", ["keys", "frobnicate"], /usage: sigil keys rotate/],
    ["an unknown trust subcommand", ["trust", "frobnicate"], /usage: sigil trust/],
    ["an unknown verifier subcommand", ["verifier", "frobnicate"], /usage: sigil verifier/],
    ["a bad --client-id-prefix", ["verifier", "set", "localhost", "--client-id-prefix", "did"], /client-id-prefix/],
    ["a trust anchor that is not a certificate", ["trust", "add", "localhost", "--cert=-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"], /--cert/],
    ["an unknown flag", ["tenant", "list", "--bogus"], /bogus/],
    ["an unknown flag on user add", ["user", "add", "localhost", "flaggy", "--ha1", VALID_HA1, "--colour", "red"], /colour/],
    ["a missing positional (user add without USERNAME)", ["user", "add", "localhost", "--ha1", VALID_HA1], /USERNAME/],
    ["a missing positional (tenant add without HOST)", ["tenant", "add"], /HOST/],
    ["a missing positional (client remove without CLIENT_ID)", ["client", "remove", "localhost"], /CLIENT_ID/],
    ["an invalid host name", ["tenant", "add", "bad_host!"], /bad_host!.*not a valid host name/],
    ["a duplicate tenant", ["tenant", "add", "localhost"], /already exists/],
    ["a duplicate user", ["user", "add", "localhost", "alice", "--ha1", VALID_HA1], /already exists/],
    ["a duplicate client", ["client", "add", "localhost", "rp", "--redirect-uri", "https://other.example/cb"], /already exists/],
    ["an unknown tenant (user list)", ["user", "list", "nowhere.example"], /no tenant nowhere\.example/],
    ["an unknown tenant (user add)", ["user", "add", "nowhere.example", "u", "--ha1", VALID_HA1], /no tenant nowhere\.example/],
    ["an unknown tenant (client add)", ["client", "add", "nowhere.example", "c", "--redirect-uri", "https://c.example/cb"], /no tenant nowhere\.example/],
    ["an unknown tenant (keys rotate)", ["keys", "rotate", "nowhere.example"], /no tenant nowhere\.example/],
    ["a bad --role", ["user", "add", "localhost", "rooty", "--ha1", VALID_HA1, "--role", "root"], /role/],
    ["an HA1 that is not hex", ["user", "add", "localhost", "hexless", "--ha1", "g".repeat(32)], /HA1/],
    ["an HA1 of 31 hex digits", ["user", "add", "localhost", "shorty", "--ha1", VALID_HA1.slice(1)], /HA1/],
    ["an HA1 of 33 hex digits", ["user", "add", "localhost", "longy", "--ha1", `${VALID_HA1}0`], /HA1/],
    ["an all-zeros HA1", ["user", "add", "localhost", "zero", "--ha1", "0".repeat(32)], /HA1/],
    ["an all-zeros HA1 on set-password", ["user", "set-password", "localhost", "alice", "--ha1", "0".repeat(32)], /HA1/],
    ["a redirect URI with a fragment", ["client", "add", "localhost", "fragged", "--redirect-uri", "https://rp.example/cb#frag"], /fragment/],
    ["a relative redirect URI", ["client", "add", "localhost", "relative", "--redirect-uri", "/cb"], /absolute/],
  ];
  for (const [what, args, says] of cases) {
    test(`refuses ${what}`, async () => {
      expectCliRefusal(await server.cli(args), says);
    });
  }

  test("refused commands changed nothing: no tenant, user or client was added and alice keeps her password", async () => {
    expect(lines(await server.cliOk(["tenant", "list"])).some((l) => l.includes("bad_host"))).toBe(false);
    const users = lines(await server.cliOk(["user", "list", "localhost"])).map((l) => l.split("\t")[0]);
    for (const name of ["flaggy", "rooty", "hexless", "shorty", "longy", "zero", "u"]) expect(users).not.toContain(name);
    const clients = lines(await server.cliOk(["client", "list", "localhost"]));
    for (const name of ["fragged", "relative"]) expect(clients.some((l) => l.startsWith(`${name}\t`))).toBe(false);
    expect(clients.find((l) => l.startsWith("rp\t"))).toBe(`rp\tconfidential\t${p.redirectUri}`);
    expect(await loginStatus(server, p, p.username, p.password)).toBe(200);
    expect((await signInWithHa1(server, p, "alice", VALID_HA1)).response.status).toBe(401);
  });
});

describe("while serve runs", () => {
  test("a user added by the CLI signs in on the running server without a restart, and the token works at userinfo", async () => {
    expect(await loginStatus(server, p, "latecomer", "late-pw")).toBe(401);
    await server.cliOk(["user", "add", "localhost", "latecomer", "--password-stdin"], "late-pw\n");
    const tokens = await tokensForHa1(server, p, "latecomer", ha1("latecomer", "localhost", "late-pw"));
    const info = await server.fetch("/oauth2/v1/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { preferred_username?: string }).preferred_username).toBe("latecomer");
  });
});
