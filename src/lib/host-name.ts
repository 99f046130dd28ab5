/**
 * Host names are checked before they are used anywhere (paths, queries, logs):
 * LDH labels only, lower case, at most 253 characters. A port is split off.
 * @see https://www.rfc-editor.org/rfc/rfc1123#section-2.1
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isValidHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  return host.split(".").every((label) => LABEL.test(label));
}

export interface HostAndPort {
  host: string;
  port: string | null;
}

/** Splits a Host header into a validated lower-case host name and an optional port, or null. IPv6 literals are not tenants. */
export function parseHostHeader(value: string | null | undefined): HostAndPort | null {
  if (!value) return null;
  const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return null;
  const host = match[1]!.toLowerCase().replace(/\.$/, "");
  const port = match[2] ?? null;
  if (port !== null && (Number(port) < 1 || Number(port) > 65535)) return null;
  if (!isValidHostName(host)) return null;
  return { host, port };
}
