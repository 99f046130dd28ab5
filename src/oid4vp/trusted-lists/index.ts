export { TrustedListError } from "./trusted-list-error.ts";
export { SERVICE_TYPES, TRUSTED_STATUS_NAMES, isServiceTypeName, type ServiceTypeName } from "./service-types.ts";
export { createListFetcher, type ListFetchOptions, type ListFetcher } from "./fetch-list.ts";
export { loadTrustedList, type ListedAnchor, type LoadedTrustedList, type TrustedListSource } from "./load-trusted-list.ts";
export { matchesScope, scopePatternProblem, trustForCredentialType, type CredentialType, type CredentialTypeScope, type ScopedAnchors, type ScopedTrustStore } from "./scoped-trust.ts";
