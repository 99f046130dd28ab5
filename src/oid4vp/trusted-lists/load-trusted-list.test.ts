// Trusted lists end to end below the verifier: a LoTL (RSA-signed, as the EU LoTL is) pointing to two
// national lists, and a JSON LoTE, generated and signed per test by the stand-in publisher, served
// over loopback HTTP. What becomes an anchor, and every way a list is refused or a pointer ignored.
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  GRANTED, LOTE_PID_SERVICE_TYPE, PID_SERVICE_TYPE, QEAA_SERVICE_TYPE, WITHDRAWN, createListSigner, serveLists, signLote, signXml, signerDer, tslXml,
  type ListSigner,
} from "../../../test/support/trusted-list-publisher.ts";
import { makeCertificate, type TestCertificate } from "../test-certificates.ts";
import { createListFetcher } from "./fetch-list.ts";
import { derToPem, loadTrustedList } from "./load-trusted-list.ts";
import { TrustedListError } from "./trusted-list-error.ts";
import { listSignedXml } from "./xml-signature.ts";

let lotlSigner: ListSigner;
let signerA: ListSigner;
let signerB: ListSigner;
let stranger: ListSigner;
let pidA: TestCertificate;
let pidB: TestCertificate;
let qeaa: TestCertificate;
let withdrawn: TestCertificate;
let server: Awaited<ReturnType<typeof serveLists>>;
const now = () => Math.floor(Date.now() / 1000);
const fetchList = createListFetcher({ allowHttp: true, allowPrivateAddresses: true });
const pems = (result: { anchors: { pem: string }[] }) => result.anchors.map((anchor) => anchor.pem).sort();

beforeAll(async () => {
  [lotlSigner, signerA, signerB, stranger] = await Promise.all([createListSigner("RSA"), createListSigner(), createListSigner(), createListSigner()]);
  [pidA, pidB, qeaa, withdrawn] = await Promise.all([makeCertificate({ ca: true }), makeCertificate({ ca: true }), makeCertificate({ ca: true }), makeCertificate({ ca: true })]);
  server = await serveLists({
    "/nl-a.xml": signXml(tslXml({ services: [
      { provider: "PID Provider A", type: PID_SERVICE_TYPE, certificates: [pidA.x5c] },
      { provider: "QEAA Provider", type: QEAA_SERVICE_TYPE, certificates: [qeaa.x5c] },
      { provider: "Withdrawn PID Provider", type: PID_SERVICE_TYPE, status: WITHDRAWN, certificates: [withdrawn.x5c] },
    ] }), signerA),
    "/nl-b.xml": signXml(tslXml({ services: [{ provider: "PID Provider B", type: PID_SERVICE_TYPE, certificates: [pidB.x5c] }] }), signerB),
  });
});
afterAll(() => server.stop());

function lotl(pointers: { path: string; signer: ListSigner }[], content: { nextUpdate?: Date } = {}): string {
  return signXml(tslXml({ ...content, pointers: pointers.map(({ path, signer }) => ({ location: server.url(path), signerCertificates: [signerDer(signer)] })) }), lotlSigner);
}

const source = (document: string, signer: ListSigner = lotlSigner) => ({ url: null, document, signerPems: [signer.certificate.pem], serviceType: "PIDProvider" as const });

test("a LoTL's national lists yield the granted PID providers' certificates, and nothing of another type or withdrawn", async () => {
  const result = await loadTrustedList(source(lotl([{ path: "/nl-a.xml", signer: signerA }, { path: "/nl-b.xml", signer: signerB }])), fetchList, now());
  expect(pems(result)).toEqual([derToPem(pidA.x5c), derToPem(pidB.x5c)].sort());
  expect(result.ignored).toEqual([]);
  expect(result.anchors.find((anchor) => anchor.pem === derToPem(pidA.x5c))?.provider).toBe("PID Provider A");
});

test("the same lists subscribed for QEAA providers yield only the QEAA service", async () => {
  const result = await loadTrustedList({ ...source(lotl([{ path: "/nl-a.xml", signer: signerA }])), serviceType: "QEAAProvider" }, fetchList, now());
  expect(pems(result)).toEqual([derToPem(qeaa.x5c)]);
});

test("a pointer to a national list signed by another key than the LoTL names is ignored, with the reason, and the others still count", async () => {
  const result = await loadTrustedList(source(lotl([{ path: "/nl-a.xml", signer: stranger }, { path: "/nl-b.xml", signer: signerB }])), fetchList, now());
  expect(pems(result)).toEqual([derToPem(pidB.x5c)]);
  expect(result.ignored).toHaveLength(1);
  expect(result.ignored[0]).toContain("/nl-a.xml");
  expect(result.ignored[0]).toContain("does not verify");
});

test("an unreachable or expired national list is ignored; the list's NextUpdate is the earliest of those used", async () => {
  const soon = new Date(Date.now() + 3_600_000);
  server.set("/nl-expired.xml", signXml(tslXml({ nextUpdate: new Date(Date.now() - 1000), services: [{ provider: "Old", type: PID_SERVICE_TYPE, certificates: [qeaa.x5c] }] }), signerA));
  server.set("/nl-soon.xml", signXml(tslXml({ nextUpdate: soon, services: [{ provider: "PID Provider B", type: PID_SERVICE_TYPE, certificates: [pidB.x5c] }] }), signerB));
  const result = await loadTrustedList(source(lotl([{ path: "/missing.xml", signer: signerA }, { path: "/nl-expired.xml", signer: signerA }, { path: "/nl-soon.xml", signer: signerB }])), fetchList, now());
  expect(pems(result)).toEqual([derToPem(pidB.x5c)]);
  expect(result.ignored.join("\n")).toMatch(/missing\.xml.*HTTP 404/);
  expect(result.ignored.join("\n")).toMatch(/nl-expired\.xml.*expired/);
  expect(result.nextUpdate).toBe(Math.floor(soon.getTime() / 1000));
});

test("a LoTL signed by a key other than the configured signer is refused", async () => {
  await expect(loadTrustedList(source(lotl([{ path: "/nl-b.xml", signer: signerB }]), stranger), fetchList, now())).rejects.toThrow(/does not verify/);
});

test("a list changed after signing is refused", async () => {
  const signed = lotl([{ path: "/nl-b.xml", signer: signerB }]);
  const tampered = signed.replace("Test scheme operator", "Test scheme operat0r");
  expect(tampered).not.toBe(signed);
  await expect(loadTrustedList(source(tampered), fetchList, now())).rejects.toThrow(TrustedListError);
  // A national list tampered in transit is ignored like a forged one.
  server.set("/nl-tampered.xml", (await (await fetch(server.url("/nl-b.xml"))).text()).replace("PID Provider B", "PID Provider C"));
  const result = await loadTrustedList(source(lotl([{ path: "/nl-tampered.xml", signer: signerB }])), fetchList, now());
  expect(result.anchors).toEqual([]);
  expect(result.ignored).toHaveLength(1);
});

test("an expired LoTL is refused, however well signed", async () => {
  const expired = lotl([{ path: "/nl-b.xml", signer: signerB }], { nextUpdate: new Date(Date.now() - 1000) });
  await expect(loadTrustedList(source(expired), fetchList, now())).rejects.toThrow(/expired at its NextUpdate/);
});

test("signature wrapping: a signature over an inner element by Id is refused, though xml-crypto alone accepts it", async () => {
  const genuine = signXml(tslXml({ services: [] }, "tsl-1"), signerA, { referenceUri: "#tsl-1" });
  const signature = genuine.slice(genuine.indexOf("<ds:Signature"), genuine.indexOf("</ds:Signature>") + "</ds:Signature>".length);
  const inner = genuine.replace(signature, "").replace(/^<\?xml[^>]*>/, "");
  // The attacker's root lists its own provider; the genuine signed list rides along inside an extension.
  const evil = tslXml({ services: [{ provider: "Attacker", type: PID_SERVICE_TYPE, certificates: [qeaa.x5c] }] })
    .replace("</tsl:TrustServiceStatusList>", `${signature}<tsl:SchemeExtensions>${inner}</tsl:SchemeExtensions></tsl:TrustServiceStatusList>`);
  // The library alone (same algorithms, none of the shape checks) takes the attacker's document as signed.
  const naive = listSignedXml({ publicCert: signerA.certificate.pem });
  naive.loadSignature(evil.slice(evil.indexOf("<ds:Signature"), evil.indexOf("</ds:Signature>") + 15));
  expect(naive.checkSignature(evil)).toBe(true);
  await expect(loadTrustedList(source(evil, signerA), fetchList, now())).rejects.toThrow(/whole document/);
});

test("signature wrapping: a genuine signed list carried inside an attacker's root is refused", async () => {
  const genuine = lotl([{ path: "/nl-b.xml", signer: signerB }]).replace(/^<\?xml[^>]*>/, "");
  const evil = tslXml({ services: [{ provider: "Attacker", type: PID_SERVICE_TYPE, certificates: [qeaa.x5c] }] })
    .replace("</tsl:TrustServiceStatusList>", `<tsl:SchemeExtensions>${genuine}</tsl:SchemeExtensions></tsl:TrustServiceStatusList>`);
  await expect(loadTrustedList(source(evil), fetchList, now())).rejects.toThrow(/not a child of the root/);
});

test("an unsigned list and a list with a DOCTYPE are refused", async () => {
  await expect(loadTrustedList(source(tslXml({})), fetchList, now())).rejects.toThrow(/not signed/);
  const doctype = lotl([]).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>");
  await expect(loadTrustedList(source(doctype), fetchList, now())).rejects.toThrow(/DOCTYPE/);
});

test("a JSON LoTE yields its PID providers (listed means in force), and not a withdrawn one", async () => {
  const lote = await signLote({ services: [
    { provider: "PID Provider A", type: LOTE_PID_SERVICE_TYPE, certificates: [pidA.x5c] },
    { provider: "Withdrawn", type: LOTE_PID_SERVICE_TYPE, status: WITHDRAWN, certificates: [withdrawn.x5c] },
    { provider: "Granted", type: LOTE_PID_SERVICE_TYPE, status: GRANTED, certificates: [pidB.x5c] },
  ] }, signerA);
  const result = await loadTrustedList(source(lote, signerA), fetchList, now());
  expect(pems(result)).toEqual([derToPem(pidA.x5c), derToPem(pidB.x5c)].sort());
});

test("a JSON LoTE signed by another key, changed after signing, or expired is refused", async () => {
  const content = { services: [{ provider: "PID Provider A", type: LOTE_PID_SERVICE_TYPE, certificates: [pidA.x5c] }] };
  await expect(loadTrustedList(source(await signLote(content, stranger), signerA), fetchList, now())).rejects.toThrow(/does not verify/);
  const [header, payload, signature] = (await signLote(content, signerA)).split(".");
  const changed = Buffer.from(Buffer.from(payload!, "base64url").toString().replace("PID Provider A", "PID Provider Z")).toString("base64url");
  await expect(loadTrustedList(source(`${header}.${changed}.${signature}`, signerA), fetchList, now())).rejects.toThrow(/does not verify/);
  await expect(loadTrustedList(source(await signLote({ ...content, nextUpdate: new Date(Date.now() - 1000) }, signerA), signerA), fetchList, now())).rejects.toThrow(/expired/);
});

test("lists are fetched from internal addresses only where the operator allows it", async () => {
  const strict = createListFetcher({ allowHttp: true });
  await expect(strict(server.url("/nl-b.xml"))).rejects.toThrow(/loopback/);
  await expect(createListFetcher({ allowPrivateAddresses: true })(server.url("/nl-b.xml"))).rejects.toThrow(/not an https URL/);
});
