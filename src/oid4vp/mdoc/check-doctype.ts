/**
 * The document's docType must be the one the credential query asked for (meta.doctype_value) and the
 * one the issuer signed in the MSO: otherwise a wallet could present an mDL where a PID was asked
 * for, or relabel a document.
 * @see https://openid.net/specs/openid-4-verifiable-presentations-1_0.html#section-b.2.3
 * @see ISO/IEC 18013-5:2021 §9.3.1 (mdoc authentication: docType in the MSO)
 */
import { PresentationError } from "../presentation-error.ts";

/** @see ISO/IEC 18013-5:2021 §9.3.1 */
export function checkDocType(documentDocType: unknown, msoDocType: unknown, requested: string): string {
  if (typeof documentDocType !== "string") throw new PresentationError("mdoc_format", "the document has no docType");
  if (documentDocType !== requested) throw new PresentationError("mdoc_doctype", `the document type ${documentDocType} was not requested (${requested})`);
  if (msoDocType !== documentDocType) throw new PresentationError("mdoc_doctype", "the document type differs from the one its issuer signed");
  return documentDocType;
}
