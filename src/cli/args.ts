import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./cli-error.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Every command takes --data, --config and --store. */
export const COMMON_OPTIONS = {
  data: { type: "string" },
  config: { type: "string" },
  store: { type: "string" },
} as const satisfies Options;

/** parseArgs with the common options, whose mistakes become one-line CliErrors. */
export function parseCommand<T extends Options>(args: string[], options: T, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError((error as Error).message.split("\n")[0]!);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new CliError(`expected ${positionals.length ? positionals.join(" ") : "no arguments"}, got ${parsed.positionals.length ? parsed.positionals.join(" ") : "none"}`);
  }
  return parsed;
}

/** Reads a password from standard input, stripping one trailing newline. */
export async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  const text = Buffer.concat(chunks).toString("utf8");
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}
