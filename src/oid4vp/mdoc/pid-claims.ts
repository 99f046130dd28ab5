/**
 * The mdoc PID's data elements under the names the SD-JWT VC PID uses, so that a relying party sees
 * the same claims whichever format the wallet presented: birth_date → birthdate, nationality →
 * nationalities, resident_* → address.*, age_over_NN → age_equal_or_over.NN, and so on. Elements
 * without an SD-JWT counterpart keep their names. Only the PID namespace is mapped; other
 * namespaces of the PID document are ignored here (they are not PID claims).
 * @see EUDI ARF Annex 3.1, PID Rule Book §3 (mdoc and SD-JWT VC encodings of the PID)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 */
export const MDOC_PID_DOCTYPE = "eu.europa.ec.eudi.pid.1";
export const MDOC_PID_NAMESPACE = "eu.europa.ec.eudi.pid.1";

const RENAMED: Record<string, string> = {
  birth_date: "birthdate",
  nationality: "nationalities",
  family_name_birth: "birth_family_name",
  given_name_birth: "birth_given_name",
  email_address: "email",
  mobile_phone_number: "phone_number",
  portrait: "picture",
  expiry_date: "date_of_expiry",
  issuance_date: "date_of_issuance",
};

const ADDRESS: Record<string, string> = {
  resident_address: "formatted",
  resident_country: "country",
  resident_state: "region",
  resident_city: "locality",
  resident_postal_code: "postal_code",
  resident_street: "street_address",
  resident_house_number: "house_number",
};

/** { element: value } of the PID namespace → SD-JWT VC PID claims. */
export function pidClaimsFromMdoc(elements: Record<string, unknown>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [element, value] of Object.entries(elements)) {
    if (element === "__proto__") continue;
    const ageOver = /^age_over_(\d{1,3})$/.exec(element);
    if (ageOver) {
      const ages = (claims.age_equal_or_over ??= {}) as Record<string, unknown>;
      ages[ageOver[1]!] = value;
    } else if (element in ADDRESS) {
      const address = (claims.address ??= {}) as Record<string, unknown>;
      address[ADDRESS[element]!] = value;
    } else {
      claims[RENAMED[element] ?? element] = value;
    }
  }
  return claims;
}
