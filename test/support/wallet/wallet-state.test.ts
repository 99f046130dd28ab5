import { expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInMemoryVerifier } from "./in-memory-verifier.ts";
import { presentToVerifier } from "./wallet.ts";
import { loadOrCreateWallet } from "./wallet-state.ts";

test("a persisted wallet keeps its issuer CA and holder key across runs and still presents acceptably", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sigil-wallet-"));
  try {
    const first = await loadOrCreateWallet(dir);
    const second = await loadOrCreateWallet(dir);
    expect(second.issuer.ca.pem).toBe(first.issuer.ca.pem);
    expect(second.holderJwk).toEqual(first.holderJwk);
    expect(await Bun.file(join(dir, "issuer-ca.pem")).text()).toBe(first.issuer.ca.pem);
    const verifier = await createInMemoryVerifier({ issuer: first.issuer });
    const { transaction, walletUrl } = await verifier.start();
    const result = await presentToVerifier(second, walletUrl, { fetch: verifier.fetch });
    expect(result.status).toBe(200);
    expect(verifier.outcomes.get(transaction.id)?.ok).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
