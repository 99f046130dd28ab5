// The signed-out page, rendered by the server. The assertion is the whole single sign-on session,
// so it is forgotten before the page says "signed out" or sends the browser back to the application.
import { clearSso } from "./lib/sso.ts";

clearSso();
const main = document.getElementById("sigil-logout");
main?.classList.add("ready");
const redirect = main?.dataset.redirect;
if (redirect) location.replace(redirect);
