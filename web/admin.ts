// The admin console at /admin/: signs in as the built-in client `sigil-admin` (lib/admin-session.ts),
// then every page talks to the admin API only. The API decides who is an admin (403 for anyone
// else), and the console then shows that plainly instead of a page of failures.
import { adminCall, AdminApiError, useAdminToken } from "./lib/admin-api.ts";
import { finishSignIn, forgetSession, readSession, signOut, startSignIn, type AdminSession } from "./lib/admin-session.ts";
import { notify, wireSecretPanel } from "./lib/admin-ui.ts";
import { byId, showMessage } from "./lib/dom.ts";
import { setupAudit } from "./admin/audit.ts";
import { wireClientDetail } from "./admin/client-detail.ts";
import { setupClients } from "./admin/clients.ts";
import { loadKeys, wireKeys } from "./admin/keys.ts";
import { showTenant, wireTenant, type TenantJson } from "./admin/tenant.ts";
import { wireUserDetail } from "./admin/user-detail.ts";
import { setupUsers } from "./admin/users.ts";
import { loadVerifier, wireVerifier } from "./admin/verifier.ts";

const SECTIONS = ["users", "clients", "keys", "verifier", "tenant", "audit"] as const;
type Section = (typeof SECTIONS)[number];

/** The name in the ID token, for "signed in as"; the token was just received from the token endpoint over TLS, so it is not verified again here. */
function signedInName(session: AdminSession): string {
  try {
    const claims = JSON.parse(atob((session.idToken.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { preferred_username?: string; sub?: string };
    return claims.preferred_username ?? claims.sub ?? "";
  } catch {
    return "";
  }
}

function refuse(session: AdminSession, tenant: string): void {
  byId("not-admin-user").textContent = signedInName(session) || "this account";
  byId("not-admin-tenant").textContent = tenant;
  byId("not-admin").hidden = false;
  byId("not-admin-sign-out").addEventListener("click", () => signOut(session));
  byId("not-admin-title").setAttribute("tabindex", "-1");
  byId("not-admin-title").focus();
}

function openConsole(tenant: TenantJson): void {
  let current = tenant;
  const users = setupUsers(() => current.realm);
  const clients = setupClients();
  const audit = setupAudit();
  wireUserDetail();
  wireClientDetail();
  wireKeys();
  wireVerifier();
  wireTenant((changed) => {
    current = changed;
    showTenant(changed);
  });
  wireSecretPanel();
  const loaders: Record<Section, () => Promise<void>> = {
    users: () => users.load(), clients: () => clients.load(), keys: loadKeys, verifier: loadVerifier, tenant: async () => showTenant(current), audit: () => audit.load(),
  };
  const show = async (moveFocus: boolean) => {
    const wanted = location.hash.slice(1);
    const section: Section = (SECTIONS as readonly string[]).includes(wanted) ? (wanted as Section) : "users";
    for (const name of SECTIONS) byId(name).hidden = name !== section;
    for (const link of byId("console-nav").querySelectorAll("a")) {
      if (link.getAttribute("href") === `#${section}`) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    showMessage(byId("notice"), "", "info");
    showMessage(byId("error"), "", "error");
    if (moveFocus) byId(`${section}-title`).focus();
    try {
      await loaders[section]();
    } catch (error) {
      notify((error as Error).message, "error");
    }
  };
  for (const name of SECTIONS) byId(`${name}-title`).setAttribute("tabindex", "-1");
  byId("console-nav").hidden = false;
  addEventListener("hashchange", () => void show(true));
  void show(false);
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const fresh = params.has("code") || params.has("error");
  const session = fresh ? await finishSignIn(params) : readSession();
  if (!session) return startSignIn();
  // A token the API stops accepting (expired, revoked, the user disabled) means signing in again,
  // but never in a loop: a token refused right after it was issued is reported instead.
  useAdminToken(session.accessToken, () => {
    forgetSession();
    if (!fresh) void startSignIn();
  });
  byId("console-user").textContent = `Signed in as ${signedInName(session)}`;
  byId("console-who").hidden = false;
  byId("sign-out").addEventListener("click", () => signOut(session));
  byId("console-tenant").textContent = location.host;
  try {
    const tenant = await adminCall<TenantJson>("GET", "/tenant");
    byId("console-tenant").textContent = tenant.display_name ? `${tenant.display_name} (${tenant.host})` : tenant.host;
    openConsole(tenant);
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 403) return refuse(session, location.host);
    throw error;
  }
}

start()
  .catch((error: unknown) => showMessage(byId("error"), (error as Error).message, "error"))
  .finally(() => {
    byId("busy").hidden = true;
  });
