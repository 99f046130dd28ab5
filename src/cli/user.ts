import { ROLES, type Role } from "../store/index.ts";
import { addUser, disableUser, removeUser, requireTenant, resetUserTotp, setUserPassword } from "../tenant/index.ts";
import { parseCommand, readPasswordFromStdin } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { auditAdminChange, openData, openKeyring } from "./open-data.ts";

const USAGE = `usage: sigil user add HOST USERNAME [--password-stdin | --ha1 HEX32 | --no-password] [--role admin|user|siponly|guest] [--email E] [--name N] [--groups a,b] | user list HOST | user set-password HOST USERNAME [--password-stdin | --ha1 HEX32 | --no-password] | disable HOST USERNAME | remove HOST USERNAME | reset-totp HOST USERNAME`;

const SECRET_OPTIONS = { "password-stdin": { type: "boolean" }, ha1: { type: "string" } } as const;
const NO_PASSWORD_OPTION = { "no-password": { type: "boolean" } } as const;

async function secretFrom(values: { "password-stdin"?: boolean | undefined; ha1?: string | undefined }): Promise<{ password?: string; ha1?: string }> {
  if (values["password-stdin"] && values.ha1) throw new CliError("give --password-stdin or --ha1, not both");
  if (values["password-stdin"]) return { password: await readPasswordFromStdin() };
  if (values.ha1) return { ha1: values.ha1 };
  throw new CliError("a password is required: --password-stdin or --ha1 HEX32");
}

export async function userCommand(sub: string | undefined, args: string[]): Promise<void> {
  switch (sub) {
    case "add": {
      const { values, positionals } = parseCommand(args, {
        ...SECRET_OPTIONS, ...NO_PASSWORD_OPTION, role: { type: "string" }, email: { type: "string" }, name: { type: "string" }, groups: { type: "string" },
      }, ["HOST", "USERNAME"]);
      if (values.role !== undefined && !ROLES.includes(values.role as Role)) throw new CliError(`--role must be one of ${ROLES.join(", ")}`);
      if (values["no-password"] && (values["password-stdin"] || values.ha1)) throw new CliError("give --password-stdin, --ha1 or --no-password, not two");
      const secret = values["no-password"] ? { noPassword: true } : await secretFrom(values);
      const { config, store } = openData(values);
      const user = await addUser(store, positionals[0]!, {
        username: positionals[1]!, ...secret, role: values.role as Role | undefined, email: values.email ?? null, name: values.name ?? null,
        groups: values.groups ? values.groups.split(",").map((g) => g.trim()).filter((g) => g.length > 0) : [],
      }, await openKeyring(config, store));
      await auditAdminChange(config, user.tenant, "user.add", { username: user.username, sub: user.sub, role: user.role });
      console.log(`user ${user.username} added to ${user.tenant} (role ${user.role}, sub ${user.sub})`);
      return;
    }
    case "list": {
      const { values, positionals } = parseCommand(args, {}, ["HOST"]);
      const { store } = openData(values);
      const tenant = await requireTenant(store, positionals[0]!);
      for (const user of await store.users.list(tenant.host)) {
        console.log([user.username, user.role, user.email ?? "-", user.disabled ? "disabled" : "enabled", user.sub].join("\t"));
      }
      return;
    }
    case "set-password": {
      const { values, positionals } = parseCommand(args, { ...SECRET_OPTIONS, ...NO_PASSWORD_OPTION }, ["HOST", "USERNAME"]);
      if (values["no-password"] && (values["password-stdin"] || values.ha1)) throw new CliError("give --password-stdin, --ha1 or --no-password, not two");
      const secret = values["no-password"] ? { noPassword: true } : await secretFrom(values);
      const { config, store } = openData(values);
      await setUserPassword(store, positionals[0]!, positionals[1]!, secret, await openKeyring(config, store));
      await auditAdminChange(config, positionals[0]!.toLowerCase(), "user.set-password", { username: positionals[1], no_password: Boolean(values["no-password"]) });
      console.log(values["no-password"] ? `${positionals[1]} has no password now: they sign in with a passkey or an email link` : `password of ${positionals[1]} changed`);
      return;
    }
    case "reset-totp": {
      const { values, positionals } = parseCommand(args, {}, ["HOST", "USERNAME"]);
      const { config, store } = openData(values);
      const { sub: target, hadTotp } = await resetUserTotp(store, positionals[0]!, positionals[1]!);
      await auditAdminChange(config, positionals[0]!.toLowerCase(), "user.reset-totp", { username: positionals[1], sub: target, had_totp: hadTotp });
      console.log(hadTotp
        ? `authenticator app and recovery codes of ${positionals[1]} cleared; they sign in with the password alone until they set up a new one`
        : `${positionals[1]} had no authenticator app; nothing changed`);
      return;
    }
    case "disable":
    case "remove": {
      const { values, positionals } = parseCommand(args, {}, ["HOST", "USERNAME"]);
      const { config, store } = openData(values);
      await (sub === "disable" ? disableUser : removeUser)(store, positionals[0]!, positionals[1]!);
      await auditAdminChange(config, positionals[0]!.toLowerCase(), `user.${sub}`, { username: positionals[1] });
      console.log(`user ${positionals[1]} ${sub === "disable" ? "disabled" : "removed"}; their refresh tokens are revoked`);
      return;
    }
    default:
      throw new CliError(USAGE);
  }
}
