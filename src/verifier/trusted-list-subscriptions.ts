// Trusted-list subscriptions of a tenant, shared by `sigil trust list-*` and the admin API: what is
// accepted (a URL or a document, signer certificates, a service type, credential-type scopes).
import { randomId } from "../lib/ids.ts";
import { nowSeconds } from "../lib/time.ts";
import { readCertificates } from "../oid4vp/index.ts";
import { scopePatternProblem, type CredentialTypeScope } from "../oid4vp/trusted-lists/scoped-trust.ts";
import { SERVICE_TYPES, isServiceTypeName } from "../oid4vp/trusted-lists/service-types.ts";
import type { Store, TrustedListRecord } from "../store/index.ts";
import { requireTenant, TenantInputError } from "../tenant/index.ts";

export interface TrustedListInput {
  url?: string | null;
  /** The list itself (sigil trust list-add --file). */
  document?: string | null;
  signerPem: string;
  serviceType: string;
  vct?: string | null;
  doctype?: string | null;
  /** Plain http:// list URLs, for development and tests only (config allowHttpFetch). */
  allowHttp?: boolean;
}

/** What the operator sees of a subscription (never the document or the anchors themselves). */
export interface TrustedListView {
  id: string;
  url: string | null;
  service_type: string;
  scopes: CredentialTypeScope[];
  signers: string[];
  anchors: number | null;
  issued_at: number | null;
  next_update: number | null;
  refreshed_at: number | null;
  last_error: string | null;
  /** Whether its anchors are in use now: a verified copy before its NextUpdate. */
  in_force: boolean;
}

/** A PID provider list serves the PID in both formats unless the operator narrows it. */
const PID_SCOPES: CredentialTypeScope[] = [{ kind: "vct", pattern: "urn:eudi:pid:*" }, { kind: "doctype", pattern: "eu.europa.ec.eudi.pid.1" }];
const MAX_DOCUMENT = 16_000_000;

export async function addTrustedList(store: Store, host: string, input: TrustedListInput): Promise<TrustedListRecord> {
  const url = input.url?.trim() || null;
  const document = input.document ?? null;
  if ((url === null) === (document === null)) throw new TenantInputError("give either a list URL or a list file, not both", "invalid", "url");
  if (url !== null) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TenantInputError("the list URL is not a URL", "invalid", "url");
    }
    if (parsed.protocol !== "https:" && !(input.allowHttp && parsed.protocol === "http:")) throw new TenantInputError("the list URL must be https", "invalid", "url");
  }
  if (document !== null && (document.length === 0 || document.length > MAX_DOCUMENT)) throw new TenantInputError("the list file is empty or larger than 16 MB", "invalid", "file");
  if (!isServiceTypeName(input.serviceType)) {
    throw new TenantInputError(`unknown service type ${input.serviceType}; one of ${Object.keys(SERVICE_TYPES).join(", ")}`, "invalid", "service_type");
  }
  let signers: Awaited<ReturnType<typeof readCertificates>>;
  try {
    signers = await readCertificates(input.signerPem);
  } catch (error) {
    throw new TenantInputError(`the signer certificate is not a PEM certificate: ${(error as Error).message.split("\n")[0]}`, "invalid", "signer_cert");
  }
  const scopes: CredentialTypeScope[] = [
    ...(input.vct ? [{ kind: "vct" as const, pattern: input.vct }] : []),
    ...(input.doctype ? [{ kind: "doctype" as const, pattern: input.doctype }] : []),
  ];
  for (const scope of scopes) {
    const problem = scopePatternProblem(scope.pattern);
    if (problem) throw new TenantInputError(`--${scope.kind} ${scope.pattern}: ${problem}`, "invalid", scope.kind);
  }
  if (scopes.length === 0) {
    // Trust is per credential type: only a PID list has an obvious one.
    if (input.serviceType !== "PIDProvider") throw new TenantInputError(`a ${input.serviceType} list needs --vct or --doctype: the credential types its providers are trusted for`, "invalid", "vct");
    scopes.push(...PID_SCOPES);
  }
  const tenant = await requireTenant(store, host);
  const record: TrustedListRecord = {
    tenant: tenant.host, id: randomId(6), url, document, signerPems: signers.map((signer) => signer.pem).join(""), serviceType: input.serviceType,
    scopesJson: JSON.stringify(scopes), addedAt: nowSeconds(), anchorsJson: null, issuedAt: null, nextUpdate: null, refreshedAt: null, attemptedAt: null, lastError: null,
  };
  if (!(await store.trustedLists.add(record))) throw new TenantInputError("a list with that id exists; try again", "conflict", "id");
  return record;
}

export async function removeTrustedList(store: Store, host: string, id: string): Promise<void> {
  const tenant = await requireTenant(store, host);
  if (!(await store.trustedLists.remove(tenant.host, id))) throw new TenantInputError(`${tenant.host} has no trusted list ${id}`, "not_found", "id");
}

export async function listTrustedLists(store: Store, host: string, now = nowSeconds()): Promise<TrustedListView[]> {
  const tenant = await requireTenant(store, host);
  const records = await store.trustedLists.list(tenant.host);
  return Promise.all(records.map(async (record) => viewOf(record, now)));
}

export async function viewOf(record: TrustedListRecord, now = nowSeconds()): Promise<TrustedListView> {
  const signers = (await readCertificates(record.signerPems).catch(() => [])).map((signer) => signer.subject);
  return {
    id: record.id, url: record.url, service_type: record.serviceType, scopes: JSON.parse(record.scopesJson) as CredentialTypeScope[], signers,
    anchors: record.anchorsJson ? (JSON.parse(record.anchorsJson) as unknown[]).length : null,
    issued_at: record.issuedAt, next_update: record.nextUpdate, refreshed_at: record.refreshedAt, last_error: record.lastError,
    in_force: record.anchorsJson !== null && record.nextUpdate !== null && record.nextUpdate > now,
  };
}
