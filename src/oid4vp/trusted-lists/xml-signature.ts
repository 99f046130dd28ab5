/**
 * Verifies the enveloped XML signature of an ETSI TS 119 612 trusted list and returns the document
 * the signature covers, parsed again from the signed bytes: the caller reads nothing from the
 * document as it arrived. Defences against XML signature wrapping (XSW): exactly one ds:Signature
 * in the document, a child of the root; exactly one Reference with URI="" (the whole document) and
 * the enveloped-signature transform; any other Reference may only be the XAdES SignedProperties;
 * the data returned is the canonical form of that whole-document reference (xml-crypto's
 * getSignedReferences), never a node looked up by Id. A DOCTYPE is refused (no entity expansion).
 * Accepted: RSA (PKCS#1 v1.5, SHA-256/512) and ECDSA (SHA-256/384/512) signatures; SHA-1 is refused.
 * Not checked here: XAdES signing time and signing-certificate digest (the signer is the configured
 * certificate, whatever KeyInfo says).
 * @see https://www.w3.org/TR/xmldsig-core1/#sec-EnvelopedSignature
 * @see https://www.etsi.org/deliver/etsi_ts/119600_119699/119612/02.03.01_60/ts_119612v020301p.pdf (5.7.1)
 */
import { KeyObject, createPrivateKey, createPublicKey, createSign, createVerify, type KeyLike } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { TrustedListError } from "./trusted-list-error.ts";

export const DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const XADES_SIGNED_PROPERTIES = "http://uri.etsi.org/01903#SignedProperties";
const DIGESTS = new Set(["http://www.w3.org/2001/04/xmlenc#sha256", "http://www.w3.org/2001/04/xmlenc#sha512"]);

/** XMLDSig 1.1 ECDSA: the SignatureValue is r||s (RFC 6931 §2.3.6), which node calls ieee-p1363. */
function ecdsa(uri: string, hash: string) {
  return class {
    getSignature(signedInfo: string, privateKey: KeyLike): string {
      const key = privateKey instanceof KeyObject ? privateKey : createPrivateKey(privateKey as string | Buffer);
      return createSign(hash).update(signedInfo).sign({ key, dsaEncoding: "ieee-p1363" }, "base64");
    }
    verifySignature(material: string, key: KeyLike, signatureValue: string): boolean {
      const publicKey = key instanceof KeyObject ? key : createPublicKey(key as string | Buffer);
      return createVerify(hash).update(material).verify({ key: publicKey, dsaEncoding: "ieee-p1363" }, signatureValue, "base64");
    }
    getAlgorithmName = () => uri;
  };
}

const ECDSA_ALGORITHMS = {
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ecdsa("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "SHA256"),
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ecdsa("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "SHA384"),
  "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ecdsa("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "SHA512"),
};

/** A SignedXml with SHA-1 and HMAC out and ECDSA in: the one set of algorithms lists are signed and checked with. */
export function listSignedXml(options: ConstructorParameters<typeof SignedXml>[0] = {}): SignedXml {
  const signed = new SignedXml({ ...options, getCertFromKeyInfo: () => null });
  const algorithms = signed.SignatureAlgorithms as Record<string, unknown>;
  delete algorithms["http://www.w3.org/2000/09/xmldsig#rsa-sha1"];
  Object.assign(algorithms, ECDSA_ALGORITHMS);
  return signed;
}

/** Parses XML strictly: any parser error or a DOCTYPE (entities) refuses the document. */
export function parseXml(xml: string, what: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new TrustedListError(`${what} carries a DOCTYPE, which is refused`);
  try {
    const doc = new DOMParser({ onError: (level, message) => {
      if (level !== "warning") throw new Error(message);
    } }).parseFromString(xml, "text/xml");
    if (!doc.documentElement) throw new Error("no root element");
    return doc as unknown as Document;
  } catch (error) {
    throw new TrustedListError(`${what} is not well-formed XML: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Verifies `xml` against each of `signerPems` (the certificates allowed to sign this list) and
 * returns the signed document; TrustedListError when no signer's key verifies it or its shape allows wrapping.
 */
export function verifyEnvelopedSignature(xml: string, signerPems: readonly string[], what: string): Document {
  const doc = parseXml(xml, what);
  const root = doc.documentElement;
  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG_NS, "Signature"));
  if (signatures.length === 0) throw new TrustedListError(`${what} is not signed`);
  if (signatures.length > 1) throw new TrustedListError(`${what} holds ${signatures.length} signatures; exactly one is accepted`);
  const signature = signatures[0]!;
  if (signature.parentNode !== root) throw new TrustedListError(`${what}'s signature is not a child of the root element`);
  checkReferences(signature, what);
  if (signerPems.length === 0) throw new TrustedListError(`${what} has no certificate it may be signed with`);
  let lastError = "";
  for (const pem of signerPems) {
    const signed = listSignedXml({ publicCert: pem });
    try {
      signed.loadSignature(signature);
      if (!signed.checkSignature(xml)) continue;
    } catch (error) {
      lastError = (error as Error).message.split("\n")[0] ?? "";
      continue;
    }
    const whole = signed.getReferences().find((reference) => reference.uri === "")?.signedReference;
    if (!whole) throw new TrustedListError(`${what}'s whole-document reference did not verify`);
    return parseXml(whole, what);
  }
  throw new TrustedListError(`${what}'s signature does not verify with the configured signer certificate(s)${lastError ? ` (${lastError})` : ""}`);
}

/** The shape that leaves nothing unsigned for the reader: one enveloped whole-document reference, at most XAdES properties beside it. */
function checkReferences(signature: Element, what: string): void {
  const signedInfo = Array.from(signature.childNodes).find((node): node is Element => isElement(node, "SignedInfo"));
  if (!signedInfo) throw new TrustedListError(`${what}'s signature has no SignedInfo`);
  const references = Array.from(signedInfo.childNodes).filter((node): node is Element => isElement(node, "Reference"));
  const whole = references.filter((reference) => reference.hasAttribute("URI") && reference.getAttribute("URI") === "");
  if (whole.length !== 1) throw new TrustedListError(`${what}'s signature must cover the whole document (one Reference with URI=""), and does not`);
  const transforms = Array.from(whole[0]!.getElementsByTagNameNS(DSIG_NS, "Transform")).map((transform) => transform.getAttribute("Algorithm"));
  if (!transforms.includes(ENVELOPED)) throw new TrustedListError(`${what}'s whole-document reference lacks the enveloped-signature transform`);
  for (const reference of references) {
    if (reference !== whole[0] && reference.getAttribute("Type") !== XADES_SIGNED_PROPERTIES) {
      throw new TrustedListError(`${what}'s signature references ${reference.getAttribute("URI") ?? "an element"}, which is neither the whole document nor XAdES SignedProperties`);
    }
    const digest = Array.from(reference.getElementsByTagNameNS(DSIG_NS, "DigestMethod"))[0]?.getAttribute("Algorithm") ?? "";
    if (!DIGESTS.has(digest)) throw new TrustedListError(`${what}'s signature uses the digest ${digest || "(none)"}, which is not accepted`);
  }
}

function isElement(node: Node, localName: string): boolean {
  return node.nodeType === 1 && (node as Element).localName === localName && (node as Element).namespaceURI === DSIG_NS;
}
