// A plan file in conformance/plans/: the suite plan's name, its variant, and the config
// the suite receives, with placeholders filled in at run time:
//   {SIGIL_URL}        Sigil's public base URL (--sigil or SIGIL_URL)
//   {SUITE_URL}        the suite's base URL (CONFORMANCE_SERVER)
//   {SECRET:client}    a client secret that conformance/setup recorded in conformance/secrets.json
import { basename } from "node:path";

export interface PlanFile {
  planName: string;
  variant?: Record<string, string>;
  config: Record<string, unknown>;
}

export interface Substitutions {
  sigilUrl: string;
  suiteUrl: string;
  secrets: Record<string, string>;
}

export function loadPlanFile(path: string, text: string, values: Substitutions): { name: string; plan: PlanFile } {
  const filled = text.replace(/\{(SIGIL_URL|SUITE_URL|SECRET:[A-Za-z0-9._-]+)\}/g, (_match, key: string) => {
    if (key === "SIGIL_URL") return values.sigilUrl.replace(/\/+$/, "");
    if (key === "SUITE_URL") return values.suiteUrl.replace(/\/+$/, "");
    const secret = values.secrets[key.slice("SECRET:".length)];
    if (secret === undefined) throw new Error(`${path}: no secret for ${key}; run conformance/setup first`);
    return secret;
  });
  const plan = JSON.parse(filled) as PlanFile;
  if (typeof plan.planName !== "string" || typeof plan.config !== "object" || plan.config === null) throw new Error(`${path}: needs planName and config`);
  return { name: basename(path), plan };
}
