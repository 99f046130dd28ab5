// The signed-out page: forget the single sign-on assertion, then go where the server validated.
import { clearSso } from "./lib/sso.ts";

clearSso();
const main = document.getElementById("sigil-logout");
const redirect = main?.dataset.redirect;
if (redirect) location.replace(redirect);
