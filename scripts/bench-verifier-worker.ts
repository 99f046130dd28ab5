// One core's share of the verifier benchmark (scripts/bench-verifier.ts), run as a Bun Worker:
// it makes its own test issuer, wallet and verifier identity, pre-generates distinct presentations
// (each with its own transaction: nonce, state, ephemeral ECDH-ES key), then on command verifies
// them with verifyPresentationResponse at a given concurrency, or measures WebCrypto P-256 verify,
// or runs the long memory run (generate a batch, verify it, drop it, report progress).
// format "sd-jwt" is the PID as SD-JWT VC; "mdoc" the PID as an mdoc DeviceResponse with 5 requested
// elements, an issuer chain of 2 (document signer under a trusted IACA), a device signature over the
// transaction's SessionTranscript, and the response encrypted (direct_post.jwt) like the SD-JWT one.
// Timing happens here, between "go" and the last verification; generation is never timed.
import { KeyObject, verify as nodeVerify } from "node:crypto";
import {
  computeClientId,
  createDevelopmentVerifierIdentity,
  createTransaction,
  createTrustStore,
  defaultPidQuery,
  verifyPresentationResponse,
} from "../src/oid4vp/index.ts";
import type { Transaction, TrustStore } from "../src/oid4vp/index.ts";
import { createTestIssuer } from "../test/support/wallet/test-issuer.ts";
import { createMdocIssuer, PID_DOCTYPE, PID_NAMESPACE } from "../test/support/wallet/mdoc-issuer.ts";
import { buildResponseBody, createTestWallet } from "../test/support/wallet/wallet.ts";
import type { TestWallet } from "../test/support/wallet/wallet.ts";
import type { RequestObjectPayload } from "../test/support/wallet/fetch-request-object.ts";
import { percentile } from "./bench-stats.ts";

declare const self: Worker;

export type WorkerCommand =
  | { type: "prepare"; count: number; format?: BenchFormat }
  | { type: "verify"; concurrency: number }
  | { type: "p256"; total: number; batch: number; engine?: P256Engine }
  | { type: "long"; total: number; batch: number; concurrency: number };

export type BenchFormat = "sd-jwt" | "mdoc";
/**
 * "webcrypto": crypto.subtle.verify, which Bun runs on its own thread pool (one JS thread keeps ~1.9
 * cores busy); "node": node:crypto verify, synchronous on the calling thread (exactly one core per
 * JS thread), the primitive the verifier itself uses (src/oid4vp/ec-crypto.ts).
 */
export type P256Engine = "webcrypto" | "node";

/** The mdoc PID query of the benchmark: five elements of the PID namespace. */
const MDOC_QUERY = {
  credentials: [{
    id: "pid", format: "mso_mdoc" as const, meta: { doctype_value: PID_DOCTYPE },
    claims: ["given_name", "family_name", "birth_date", "nationality", "personal_administrative_number"].map((element) => ({ path: [PID_NAMESPACE, element] as [string, string] })),
  }],
};

export type WorkerReply =
  | { type: "ready"; prepared: number; generateMs: number }
  | { type: "verified"; ok: number; errors: number; firstError: string | null; wallMs: number; latencyMs: { p50: number; p99: number } }
  | { type: "p256"; perSecond: number }
  | { type: "progress"; verified: number; errors: number; heapUsed: number }
  | { type: "long-done"; verified: number; errors: number; firstError: string | null; wallMs: number }
  | { type: "failed"; error: string };

interface Prepared {
  transaction: Transaction;
  body: URLSearchParams;
}

interface Setup {
  wallet: TestWallet;
  clientId: string;
  trust: TrustStore;
}

const HOST = "verifier.bench";
let setup: Setup | null = null;
let prepared: Prepared[] = [];

async function ensureSetup(): Promise<Setup> {
  if (setup) return setup;
  const issuer = await createTestIssuer();
  const mdocIssuer = await createMdocIssuer(issuer);
  const wallet = await createTestWallet(issuer, { mdocIssuer });
  const identity = await createDevelopmentVerifierIdentity(HOST);
  const clientId = computeClientId(identity, "x509_hash", HOST);
  // The verifier parses its trust anchors once, as the server does at start-up.
  const trust = await createTrustStore([issuer.ca.pem, mdocIssuer.iaca.pem]);
  setup = { wallet, clientId, trust };
  return setup;
}

/** A transaction and the wallet's encrypted answer to it; the request object is built as the wallet would read it (its signature is not what is measured). */
async function generate(s: Setup, format: BenchFormat = "sd-jwt"): Promise<Prepared> {
  const dcqlQuery = format === "mdoc" ? MDOC_QUERY : defaultPidQuery();
  const transaction = await createTransaction({ clientId: s.clientId, responseUri: (id) => `https://${HOST}/response/${id}`, dcqlQuery, ttl: 3600 });
  const request: RequestObjectPayload = {
    client_id: transaction.client_id,
    response_type: "vp_token",
    response_mode: transaction.response_mode,
    response_uri: transaction.response_uri,
    nonce: transaction.nonce,
    state: transaction.state,
    dcql_query: transaction.dcql_query as RequestObjectPayload["dcql_query"],
    client_metadata: { jwks: { keys: [transaction.response_key.public_jwk as Record<string, unknown>] }, encrypted_response_enc_values_supported: ["A128GCM"] },
  };
  return { transaction, body: await buildResponseBody(s.wallet, request, {}) };
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight; returns per-call latencies. */
async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<Float64Array> {
  const latencies = new Float64Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await work(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return latencies;
}

async function verifyAll(items: Prepared[], trust: TrustStore, concurrency: number) {
  let errors = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const latencies = await pool(items.length, concurrency, async (i) => {
    const { transaction, body } = items[i]!;
    const outcome = await verifyPresentationResponse(transaction, body, { trust });
    if (!outcome.ok) {
      errors++;
      firstError ??= `${outcome.error.check}: ${outcome.error.message}`;
    }
  });
  const wallMs = performance.now() - started;
  return { errors, firstError, wallMs, latencies };
}

/** ECDSA P-256/SHA-256 verify of an issuer-JWT-sized message: WebCrypto `total` in batches of `batch` in flight, or node:crypto one after another. */
async function p256Rate(total: number, batch: number, engine: P256Engine = "webcrypto"): Promise<number> {
  const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const algorithm = { name: "ECDSA", hash: "SHA-256" };
  const data = crypto.getRandomValues(new Uint8Array(1200));
  const signature = await crypto.subtle.sign(algorithm, keys.privateKey, data);
  if (engine === "node") {
    const publicKey = KeyObject.from(keys.publicKey);
    const signatureBytes = new Uint8Array(signature);
    const verifySync = () => {
      if (!nodeVerify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, signatureBytes)) throw new Error("P-256 signature did not verify");
    };
    for (let i = 0; i < 200; i++) verifySync();
    const started = performance.now();
    for (let done = 0; done < total; done++) verifySync();
    return (total * 1000) / (performance.now() - started);
  }
  const verify = async () => {
    if (!(await crypto.subtle.verify(algorithm, keys.publicKey, signature, data))) throw new Error("P-256 signature did not verify");
  };
  for (let i = 0; i < 200; i++) await verify();
  const started = performance.now();
  for (let done = 0; done < total; done += batch) await Promise.all(Array.from({ length: Math.min(batch, total - done) }, verify));
  return (total * 1000) / (performance.now() - started);
}

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  const s = await ensureSetup();
  switch (command.type) {
    case "prepare": {
      const started = performance.now();
      prepared = [];
      for (let i = 0; i < command.count; i++) prepared.push(await generate(s, command.format));
      return { type: "ready", prepared: prepared.length, generateMs: performance.now() - started };
    }
    case "verify": {
      const { errors, firstError, wallMs, latencies } = await verifyAll(prepared, s.trust, command.concurrency);
      const ok = prepared.length - errors;
      prepared = [];
      latencies.sort();
      return { type: "verified", ok, errors, firstError, wallMs, latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) } };
    }
    case "p256":
      return { type: "p256", perSecond: await p256Rate(command.total, command.batch, command.engine) };
    case "long": {
      // Fresh presentations in every batch (nothing is verified twice), dropped once verified.
      let verified = 0;
      let errors = 0;
      let firstError: string | null = null;
      const started = performance.now();
      while (verified < command.total) {
        const size = Math.min(command.batch, command.total - verified);
        const batch: Prepared[] = [];
        for (let i = 0; i < size; i++) batch.push(await generate(s));
        const result = await verifyAll(batch, s.trust, command.concurrency);
        verified += size;
        errors += result.errors;
        firstError ??= result.firstError;
        // A full collection before reporting, so the heap figure is what is retained, not what awaits collection.
        Bun.gc(true);
        self.postMessage({ type: "progress", verified, errors, heapUsed: process.memoryUsage().heapUsed } satisfies WorkerReply);
      }
      return { type: "long-done", verified, errors, firstError, wallMs: performance.now() - started };
    }
  }
}

self.onmessage = (event: MessageEvent<WorkerCommand>) => {
  handle(event.data).then(
    (reply) => self.postMessage(reply),
    (error: unknown) => self.postMessage({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply),
  );
};
