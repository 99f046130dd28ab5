// `sigil trust add` through the real CLI: unusable or mis-roled anchors are refused up front
// with one line, and nothing of a refused bundle is stored.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { removeDataDir, runCli } from "../../test/support/sigil.ts";
import { makeCertificate } from "../oid4vp/test-certificates.ts";
import { x509 } from "../oid4vp/x509.ts";

const HOST = "trust.test";
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-trust-"));
  expect((await runCli(dataDir, ["tenant", "add", HOST])).code).toBe(0);
});
afterAll(() => removeDataDir(dataDir));

async function anchorsListed(): Promise<string[]> {
  const listed = await runCli(dataDir, ["trust", "list", HOST]);
  expect(listed.code).toBe(0);
  return listed.stdout.split("\n").filter((line) => line.length > 0).map((line) => line.split("\t")[1]!);
}

async function expectRefused(args: string[], reason: RegExp): Promise<void> {
  const result = await runCli(dataDir, ["trust", "add", HOST, ...args]);
  expect(result.code).not.toBe(0);
  const lines = result.stderr.split("\n").filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^sigil: --cert: .* cannot be a trust anchor: /);
  expect(lines[0]).toMatch(reason);
}

describe("sigil trust add refuses an unusable anchor with one line and stores nothing", () => {
  test("an end-entity certificate without --leaf", async () => {
    await expectRefused([`--cert=${(await makeCertificate({ name: "CN=EE" })).pem}`], /not a CA.*--leaf/);
  });

  test("an RSA key under 2048 bits, and an Ed25519 key", async () => {
    await expectRefused([`--cert=${(await makeCertificate({ ca: true, kind: "RSA-1024" })).pem}`], /1024 bits/);
    await expectRefused([`--cert=${(await makeCertificate({ ca: true, kind: "Ed25519" })).pem}`], /Ed25519 key is not supported/);
  });

  test("a CA whose keyUsage lacks keyCertSign", async () => {
    await expectRefused([`--cert=${(await makeCertificate({ ca: true, usages: x509.KeyUsageFlags.digitalSignature })).pem}`], /keyCertSign/);
  });

  test("a CA given with --leaf", async () => {
    await expectRefused(["--leaf", `--cert=${(await makeCertificate({ ca: true })).pem}`], /--leaf pins end-entity certificates only/);
  });

  test("a bundle with one bad certificate adds none of them", async () => {
    const good = await makeCertificate({ ca: true, name: "CN=Good In Bad Bundle" });
    const bad = await makeCertificate({ name: "CN=Bad In Bundle" });
    await expectRefused([`--cert=${good.pem}\n${bad.pem}`], /CN=Bad In Bundle/);
    expect(await anchorsListed()).toEqual([]);
  });
});

describe("sigil trust add accepts", () => {
  test("an RSA CA, and an end-entity certificate with --leaf", async () => {
    const rsa = await makeCertificate({ ca: true, kind: "RSA", name: "CN=RSA Root" });
    const pinned = await makeCertificate({ name: "CN=Pinned Issuer" });
    expect((await runCli(dataDir, ["trust", "add", HOST, `--cert=${rsa.pem}`])).code).toBe(0);
    expect((await runCli(dataDir, ["trust", "add", HOST, "--leaf", `--cert=${pinned.pem}`])).code).toBe(0);
    expect((await anchorsListed()).sort()).toEqual(["CN=Pinned Issuer", "CN=RSA Root"]);
  });
});
