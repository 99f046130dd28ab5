// oidcc-userinfo-post-header (OIDCCUserInfoPostHeader): after the happy flow, userinfo is called by POST
// with the access token in the Authorization header. The suite expects 200 with a JSON body
// (EnsureContentTypeJson), standard claims of the right types, a sub equal to the id_token's, and no
// userinfo-only failure modes.
import { userinfoModule } from "./support.ts";

userinfoModule("post-header");
