// The admin API's trusted-list subscriptions over HTTP, against a running server: subscribe (verified
// at once), list, refresh, remove; a list the configured signer did not sign is never in force; bad
// input is a 400 with the admin API's error shape. Lists come from the stand-in publisher.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { addAdmin, adminCall, userToken, type AdminAnswer } from "./support/admin-api.ts";
import { AuditReader } from "./support/audit.ts";
import { provision } from "./support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { LOTE_PID_SERVICE_TYPE, createListSigner, serveLists, signLote, type ListSigner } from "./support/trusted-list-publisher.ts";
import { makeCertificate } from "../src/oid4vp/test-certificates.ts";

let server: SigilServer;
let token: string;
let audit: AuditReader;
let signer: ListSigner;
let lists: Awaited<ReturnType<typeof serveLists>>;

beforeAll(async () => {
  server = await startSigil({ args: ["--allow-http-fetch", "--allow-private-fetch"] });
  token = await userToken(server, await addAdmin(server, await provision(server), "root"));
  audit = new AuditReader(server.dataDir);
  signer = await createListSigner();
  const provider = await makeCertificate({ ca: true });
  lists = await serveLists({ "/pid-lote.jws": await signLote({ services: [{ provider: "PID Provider", type: LOTE_PID_SERVICE_TYPE, certificates: [provider.x5c] }] }, signer) });
});
afterAll(async () => {
  await lists.stop();
  await server.stop();
  removeDataDir(server.dataDir);
});

const call = (method: string, path: string, body?: unknown) => adminCall(server, token, method, path, body);
const expectStatus = (answer: AdminAnswer, status: number) => {
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
};

test("subscribe to a signed LoTE: verified at once and in force; listed, refreshed, removed, each audited", async () => {
  const created = expectStatus(await call("POST", "/trust/lists", { url: lists.url("/pid-lote.jws"), signer_cert_pem: signer.certificate.pem, service_type: "PIDProvider" }), 201);
  expect(created).toMatchObject({ service_type: "PIDProvider", anchors: 1, in_force: true, last_error: null, scopes: [{ kind: "vct", pattern: "urn:eudi:pid:*" }, { kind: "doctype", pattern: "eu.europa.ec.eudi.pid.1" }] });
  const id = String(created.id);
  expect(await audit.next((line) => line.event === "trust_list.refreshed" && line.list_id === id)).toBeDefined();
  expect((expectStatus(await call("GET", "/trust/lists"), 200).items as { id: string }[]).map((item) => item.id)).toEqual([id]);
  expect(expectStatus(await call("POST", `/trust/lists/${id}/refresh`), 200)).toMatchObject({ id, in_force: true });
  expectStatus(await call("DELETE", `/trust/lists/${id}`), 204);
  expect(await audit.next((line) => line.event === "admin.change" && line.action === "trust.list_remove" && line.list_id === id)).toBeDefined();
  expect(expectStatus(await call("GET", "/trust/lists"), 200).items).toEqual([]);
});

test("a list the configured signer did not sign is stored but never in force, with the reason", async () => {
  const other = await createListSigner();
  const created = expectStatus(await call("POST", "/trust/lists", { url: lists.url("/pid-lote.jws"), signer_cert_pem: other.certificate.pem, service_type: "PIDProvider" }), 201);
  expect(created).toMatchObject({ in_force: false, anchors: null });
  expect(String(created.last_error)).toContain("does not verify");
  expect(await audit.next((line) => line.event === "trust_list.refresh_failed" && line.list_id === created.id)).toBeDefined();
  expectStatus(await call("DELETE", `/trust/lists/${String(created.id)}`), 204);
});

test("bad input is a 400 naming the field; an unknown list is a 404", async () => {
  const pem = signer.certificate.pem;
  expect(expectStatus(await call("POST", "/trust/lists", { url: lists.url("/x"), signer_cert_pem: pem, service_type: "Nope" }), 400)).toMatchObject({ error: "invalid_input", field: "service_type" });
  expect(expectStatus(await call("POST", "/trust/lists", { signer_cert_pem: pem, service_type: "PIDProvider" }), 400)).toMatchObject({ error: "invalid_input", field: "url" });
  expect(expectStatus(await call("POST", "/trust/lists", { url: "ftp://lists.example/x", signer_cert_pem: pem, service_type: "PIDProvider" }), 400)).toMatchObject({ error: "invalid_input" });
  expect(expectStatus(await call("POST", "/trust/lists", { url: lists.url("/x"), signer_cert_pem: pem, service_type: "PIDProvider", vct: "*" }), 400)).toMatchObject({ error: "invalid_input", field: "vct" });
  expect((await call("POST", "/trust/lists", { url: lists.url("/x"), signer_cert_pem: pem, service_type: "PIDProvider", extra: 1 })).status).toBe(400);
  expect((await call("POST", "/trust/lists/nope/refresh")).status).toBe(404);
  expect((await call("DELETE", "/trust/lists/nope")).status).toBe(404);
});
