// The bound the benchmark sets its figures beside: the RS256 signing rate of this machine, by
// openssl and by Bun's own WebCrypto (through jose), measured in the same run because the machine
// is shared and noisy. A flow costs two signatures (the id_token and the access token).
import { SignJWT, generateKeyPair } from "jose";
import { run } from "./bench-children.ts";

/** openssl speed rsa2048, sign/s (single core, or -multi N). */
export async function opensslSignRate(multi: number | null): Promise<number> {
  const args = ["openssl", "speed", "-seconds", "3", ...(multi ? ["-multi", String(multi)] : []), "rsa2048"];
  const result = await run(args, { timeoutMs: 60_000 });
  // "rsa 2048 bits 0.000250s 0.000015s   4007.7  65857.7": the third number is sign/s.
  const match = /^rsa\s+2048 bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+[\d.]+/m.exec(result.stdout);
  if (result.code !== 0 || !match) throw new Error(`could not read ${args.join(" ")}:\n${result.stdout}\n${result.stderr}`);
  return Number(match[1]);
}

/** Bun's jose/WebCrypto RS256 signing rate, `total` JWTs in batches of `batch`; also CPU ms per signature. */
export async function bunSignRate(total: number, batch: number): Promise<{ perSecond: number; cpuMsPerSign: number }> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const sign = () => new SignJWT({ client_id: "bench-rp", scope: "openid profile email", auth_time: now, acr: "pwd", gid: crypto.randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: "bench", typ: "at+jwt" })
    .setIssuer("http://localhost").setSubject("bench").setAudience("http://localhost")
    .setIssuedAt(now).setExpirationTime(now + 3600).setJti(crypto.randomUUID())
    .sign(privateKey);
  for (let i = 0; i < 64; i++) await sign();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < total; done += batch) await Promise.all(Array.from({ length: Math.min(batch, total - done) }, sign));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: (total * 1000) / wallMs, cpuMsPerSign: (cpu.user + cpu.system) / 1000 / total };
}
