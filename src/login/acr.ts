/**
 * Authentication context classes Sigil reports in `acr` (documented in the README).
 * Relying parties ask for one with `acr_values` and read the one achieved in the id_token.
 */
export const ACR = {
  password: "urn:sigil:acr:pwd",
} as const;
