// The RS256 signing rate of the runtime this file runs on (Bun or Deno: it names neither), through the
// path Sigil signs with (jose's SignJWT on a WebCrypto CryptoKey, src/keys/keyring.ts), or through
// node:crypto, the other RSA both runtimes offer. Run as a child of the bench on the runtime measured
// (scripts/bench-bound.ts), it prints one JSON line {perSecond, cpuMsPerSign}:
//   bun scripts/bench-sign.ts webcrypto|node-crypto TOTAL BATCH
//   deno run --allow-env --allow-sys --allow-read scripts/bench-sign.ts webcrypto|node-crypto TOTAL BATCH
// BATCH signatures are in flight at once (1: one at a time). node:crypto signs synchronously with
// BATCH 1 and through its callback form otherwise.
import { generateKeyPairSync, sign as nodeSign } from "node:crypto";
import { SignJWT, importJWK, type JWK } from "jose";

export interface SignRate {
  perSecond: number;
  cpuMsPerSign: number;
}
export type SignPath = "webcrypto" | "node-crypto";

async function rate(total: number, batch: number, one: () => Promise<unknown>): Promise<SignRate> {
  for (let i = 0; i < 32; i++) await one();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < total; done += batch) await Promise.all(Array.from({ length: Math.min(batch, total - done) }, one));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (total * 1000) / wallMs, cpuMsPerSign: (cpu.user + cpu.system) / 1000 / total };
}

export async function signRate(path: SignPath, total: number, batch: number): Promise<SignRate> {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  if (path === "node-crypto") {
    const input = () => new TextEncoder().encode(`${crypto.randomUUID()}.${crypto.randomUUID()}`);
    if (batch === 1) return rate(total, 1, async () => nodeSign("sha256", input(), pair.privateKey));
    return rate(total, batch, () => new Promise<Buffer>((resolve, reject) => nodeSign("sha256", input(), pair.privateKey, (error, signature) => (error ? reject(error) : resolve(signature)))));
  }
  const key = (await importJWK(pair.privateKey.export({ format: "jwk" }) as JWK, "RS256")) as CryptoKey;
  const now = Math.floor(Date.now() / 1000);
  // Claims shaped like Sigil's access token (src/keys/access-token.ts), so the JSON and base64 work is alike.
  return rate(total, batch, () => new SignJWT({ client_id: "bench-rp", scope: "openid profile email", auth_time: now, acr: "pwd", gid: crypto.randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: "bench", typ: "at+jwt" })
    .setIssuer("http://localhost").setSubject("bench").setAudience("http://localhost")
    .setIssuedAt(now).setExpirationTime(now + 3600).setJti(crypto.randomUUID())
    .sign(key));
}

if (import.meta.main) {
  const [path, total, batch] = process.argv.slice(2);
  if ((path !== "webcrypto" && path !== "node-crypto") || !(Number(total) > 0) || !(Number(batch) > 0)) {
    console.error("usage: bench-sign.ts webcrypto|node-crypto TOTAL BATCH");
    process.exit(2);
  }
  console.log(JSON.stringify(await signRate(path, Number(total), Number(batch))));
}
