// oidcc-userinfo-get (OIDCCUserInfoGet): after the happy flow, userinfo is called by GET with the access
// token in the Authorization header. The suite expects 200 with a JSON body (EnsureContentTypeJson),
// standard claims of the right types, a sub equal to the id_token's (EnsureUserInfoContainsSub,
// VerifyUserInfoAndIdTokenInTokenEndpointSameSub). Sigil supports all three forms (RFC 6750 §2.1, §2.2).
import { userinfoModule } from "./support.ts";

userinfoModule("get-header");
