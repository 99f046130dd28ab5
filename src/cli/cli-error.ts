/** A mistake on the command line: printed as one line, exit status 2. */
export class CliError extends Error {
  override name = "CliError";
}
