// Signing keys: the list (public halves only, as the API gives them) and rotation.
import { adminCall, type ListPage } from "../lib/admin-api.ts";
import { button, confirmAction, notify, when } from "../lib/admin-ui.ts";
import { byId } from "../lib/dom.ts";
import { tableRow } from "./table.ts";

interface KeyJson { kid: string; alg: string; status: string; created_at: string }

export async function loadKeys(): Promise<void> {
  const keys = await adminCall<ListPage<KeyJson>>("GET", "/keys?limit=200");
  byId<HTMLTableElement>("key-table").tBodies[0]!.replaceChildren(...keys.items.map((key) => tableRow(key.kid, key.alg, key.status, when(key.created_at))));
}

export function wireKeys(): void {
  const rotate = byId<HTMLButtonElement>("key-rotate");
  const replacement = button(rotate.textContent ?? "Rotate", async () => {
    if (!(await confirmAction("Make a new signing key? The current one stays published for tokens already issued; the one before it is retired.", "Rotate the signing key"))) return;
    const answer = await adminCall<{ kid: string }>("POST", "/keys/rotate");
    notify(`The new signing key is ${answer.kid}.`);
    await loadKeys();
  }, "secondary");
  replacement.id = rotate.id;
  rotate.replaceWith(replacement);
}
