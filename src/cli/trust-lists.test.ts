// `sigil trust list-*` through the real CLI: a signed list file is verified at once and its anchors
// counted; a list signed by another key, an unknown service type and a scope-less non-PID list are
// refused with one line.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PID_SERVICE_TYPE, createListSigner, signXml, tslXml, type ListSigner } from "../../test/support/trusted-list-publisher.ts";
import { removeDataDir, runCli } from "../../test/support/sigil.ts";
import { makeCertificate } from "../oid4vp/test-certificates.ts";

const HOST = "lists.test";
let dataDir: string;
let signer: ListSigner;
let listFile: string;
let signerFile: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-trust-lists-"));
  expect((await runCli(dataDir, ["tenant", "add", HOST])).code).toBe(0);
  signer = await createListSigner();
  const provider = await makeCertificate({ ca: true });
  listFile = join(dataDir, "list.xml");
  signerFile = join(dataDir, "signer.pem");
  writeFileSync(listFile, signXml(tslXml({ services: [{ provider: "PID Provider", type: PID_SERVICE_TYPE, certificates: [provider.x5c] }] }), signer));
  writeFileSync(signerFile, signer.certificate.pem);
});
afterAll(() => removeDataDir(dataDir));

test("list-add verifies a signed list file at once, and list-list shows it in force; list-remove ends it", async () => {
  const added = await runCli(dataDir, ["trust", "list-add", HOST, "--file", listFile, "--signer-cert", signerFile, "--service-type", "PIDProvider"]);
  expect(added.stderr).toBe("");
  expect(added.stdout).toMatch(/subscribed: (\S+) .*PIDProvider for urn:eudi:pid:\*, eu\.europa\.ec\.eudi\.pid\.1/);
  expect(added.stdout).toContain("verified: 1 anchor(s)");
  const id = /subscribed: (\S+)/.exec(added.stdout)![1]!;
  const listed = await runCli(dataDir, ["trust", "list-list", HOST]);
  expect(listed.stdout).toMatch(new RegExp(`^${id}\\tPIDProvider\\tvct=urn:eudi:pid:\\*,doctype=eu.europa.ec.eudi.pid.1\\t\\(file\\)\\t1 anchor\\(s\\) until `));
  expect((await runCli(dataDir, ["trust", "list-remove", HOST, id])).code).toBe(0);
  expect((await runCli(dataDir, ["trust", "list-list", HOST])).stdout).toBe("");
});

test("list-add with a signer certificate that did not sign the list says so in one line, and the list is not in force", async () => {
  const other = join(dataDir, "other.pem");
  writeFileSync(other, (await createListSigner()).certificate.pem);
  const result = await runCli(dataDir, ["trust", "list-add", HOST, "--file", listFile, "--signer-cert", other, "--service-type", "PIDProvider"]);
  expect(result.code).not.toBe(0);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).toContain("could not be verified");
  expect((await runCli(dataDir, ["trust", "list-list", HOST])).stdout).toContain("NOT IN FORCE");
});

test("an unknown service type, and a non-PID list without a credential type, are refused before anything is stored", async () => {
  const unknown = await runCli(dataDir, ["trust", "list-add", HOST, "--url", "https://lists.example/tl.xml", "--signer-cert", signerFile, "--service-type", "Anything"]);
  expect(unknown.code).not.toBe(0);
  expect(unknown.stderr).toContain("unknown service type Anything");
  const unscoped = await runCli(dataDir, ["trust", "list-add", HOST, "--url", "https://lists.example/tl.xml", "--signer-cert", signerFile, "--service-type", "QEAAProvider"]);
  expect(unscoped.code).not.toBe(0);
  expect(unscoped.stderr).toContain("needs --vct or --doctype");
  expect((await runCli(dataDir, ["trust", "list-list", HOST])).stdout).not.toContain("https://lists.example");
});
