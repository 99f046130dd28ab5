import { existsSync, readFileSync } from "node:fs";
import { CliError } from "./cli-error.ts";

/** A PEM given on the command line: a file path, or the PEM text itself. */
export function readPemArgument(value: string | undefined, flag: string): string {
  if (!value) throw new CliError(`${flag} PEM is required`);
  if (value.includes("-----BEGIN")) return value;
  if (!existsSync(value)) throw new CliError(`${flag}: no such file ${value}`);
  return readFileSync(value, "utf8");
}
