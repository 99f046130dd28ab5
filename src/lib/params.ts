/**
 * The parameters a route reads, declared with Elysia's `t.Object` in its domain's routes.ts (JSON
 * Schema underneath). http/ checks every request against it before the handler runs, and the docs
 * are generated from it. Written structurally so that no layer below http/ needs Elysia.
 */
export interface ParamSchema {
  readonly type: "object";
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
}

/**
 * Request parameters from a query string, a form body or a flat JSON object,
 * remembering names that came more than once (RFC 6749 §3.1: parameters must not repeat).
 */
export class Params {
  private readonly values = new Map<string, string>();
  private readonly repeated = new Set<string>();

  static fromSearch(search: URLSearchParams): Params {
    const params = new Params();
    for (const [name, value] of search) params.add(name, value);
    return params;
  }

  static fromObject(object: Record<string, unknown>): Params {
    const params = new Params();
    for (const [name, value] of Object.entries(object)) {
      if (typeof value === "string") params.add(name, value);
      else if (typeof value === "number" || typeof value === "boolean") params.add(name, String(value));
      else if (value !== null && value !== undefined) params.add(name, JSON.stringify(value));
    }
    return params;
  }

  add(name: string, value: string): void {
    if (this.values.has(name)) this.repeated.add(name);
    else this.values.set(name, value);
  }

  /** The value, or undefined; an empty value counts as absent (RFC 6749 §3.1). */
  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === "" ? undefined : value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Names among `names` that were sent more than once. */
  repeatedAmong(names: readonly string[]): string[] {
    return names.filter((name) => this.repeated.has(name));
  }

  toSearchParams(): URLSearchParams {
    return new URLSearchParams([...this.values.entries()]);
  }
}
