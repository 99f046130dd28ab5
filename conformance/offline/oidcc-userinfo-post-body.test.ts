// oidcc-userinfo-post-body (OIDCCUserInfoPostBody): after the happy flow, userinfo is called by POST with
// the access token in the form body. The suite expects 200 with a JSON body (EnsureContentTypeJson),
// standard claims of the right types, a sub equal to the id_token's (EnsureUserInfoContainsSub,
// VerifyUserInfoAndIdTokenInTokenEndpointSameSub). The suite only warns when the body form is refused;
// Sigil supports it (RFC 6750 §2.2), so here it must work.
import { userinfoModule } from "./support.ts";

userinfoModule("post-body");
