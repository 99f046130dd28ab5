import { describe, expect, test } from "bun:test";
import { DEFAULTS, type Config } from "../config/index.ts";
import type { Store } from "../store/index.ts";
import type { Logger } from "./log.ts";
import { withOperations, type RequestObservation } from "./operations.ts";

type Record_ = { level: string; message: string; fields: Record<string, unknown> };

/** A store every call of which fails the test: health must answer without a tenant look-up. */
function storeWith(readiness: () => Promise<string | null>): Store {
  return new Proxy({ readiness } as unknown as Store, {
    get(target, key) {
      if (key === "readiness") return target.readiness;
      throw new Error(`health touched store.${String(key)}`);
    },
  });
}

function setup(options: { readiness?: () => Promise<string | null>; config?: Partial<Config>; app?: (request: Request) => Promise<Response> } = {}) {
  const records: Record_[] = [];
  const observed: RequestObservation[] = [];
  const logger: Logger = { log: (level, message, fields = {}) => void records.push({ level, message, fields }) };
  const handler = withOperations(options.app ?? (async () => new Response("app")), {
    config: { ...DEFAULTS, ...options.config },
    store: storeWith(options.readiness ?? (async () => null)),
    logger,
    routes: [{ method: "GET", path: "/admin/api/v1/users/:username" }, { method: "POST", path: "/oauth2/v1/token" }, { method: "GET", path: "/*" }],
    observe: (observation) => void observed.push(observation),
  });
  return { handler, records, observed };
}

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://unknown.example${path}`, { headers: { host: "unknown.example", ...headers } });

describe("health", () => {
  test("/healthz answers 200 on a host no tenant has, without asking the store anything", async () => {
    const { handler } = setup({ readiness: async () => { throw new Error("must not be asked"); } });
    const response = await handler(get("/healthz"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  });

  test("/readyz is 200 when the store is ready, 503 with the store's reason when it is not migrated", async () => {
    expect((await setup().handler(get("/readyz"))).status).toBe(200);
    const behind = await setup({ readiness: async () => "the store is at schema 3, this Sigil expects 12" }).handler(get("/readyz"));
    expect(behind.status).toBe(503);
    expect(await behind.json()).toEqual({ status: "unavailable", reason: "the store is at schema 3, this Sigil expects 12" });
  });

  test("/readyz is 503 with a fixed reason when the store throws, and the cause goes only to the log", async () => {
    const { handler, records } = setup({ readiness: async () => { throw new Error("SQLITE_IOERR /secret/path/sigil.db"); } });
    const response = await handler(get("/readyz"));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "unavailable", reason: "the store did not answer" });
    expect(text).not.toContain("secret");
    expect(records.some((record) => String(record.fields.error).includes("SQLITE_IOERR"))).toBe(true);
  });
});

describe("request ids", () => {
  const incoming = { "x-request-id": "trace-0123456789abcdef" };

  test("an incoming X-Request-Id is ignored unless forwarded headers are trusted", async () => {
    const response = await setup().handler(get("/x", incoming));
    expect(response.headers.get("x-request-id")).not.toBe(incoming["x-request-id"]);
  });

  test("behind a trusted proxy a sane incoming id is kept, and one that could bend a log line is replaced", async () => {
    const { handler } = setup({ config: { trustProxy: { hops: 1 } } });
    expect((await handler(get("/x", incoming))).headers.get("x-request-id")).toBe(incoming["x-request-id"]);
    for (const bad of ["short", "has space in it 12345", "quote\"injection-123456", "x".repeat(129)]) {
      expect((await handler(get("/x", { "x-request-id": bad }))).headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
    }
  });
});

describe("request lines and metrics labels", () => {
  test("one info line per request names the route pattern, never the raw path", async () => {
    const { handler, records, observed } = setup();
    const response = await handler(get("/admin/api/v1/users/alice-the-user"));
    const lines = records.filter((record) => record.message === "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe("info");
    expect(lines[0]!.fields).toMatchObject({ request_id: response.headers.get("x-request-id"), tenant: "-", method: "GET", route: "/admin/api/v1/users/:username", status: 200 });
    expect(typeof lines[0]!.fields.duration_ms).toBe("number");
    expect(JSON.stringify(records)).not.toContain("alice-the-user");
    expect(observed).toEqual([{ method: "GET", route: "/admin/api/v1/users/:username", status: 200, seconds: expect.any(Number) }]);
  });

  test("a path no route serves and an unknown method are labelled from fixed sets", async () => {
    const { handler, observed } = setup();
    await handler(new Request("http://h.example/oauth2/v1/nowhere-a1b2c3", { method: "POST" }));
    await handler(new Request("http://h.example/oauth2/v1/token", { method: "PROPFIND" }));
    expect(observed.map(({ method, route }) => ({ method, route }))).toEqual([{ method: "POST", route: "unmatched" }, { method: "OTHER", route: "unmatched" }]);
  });

  test("an exception that escapes the app becomes server_error with the request id, logged once with its stack", async () => {
    const { handler, records } = setup({ app: async () => { throw new TypeError("boom at the database layer"); } });
    const response = await handler(get("/x"));
    const id = response.headers.get("x-request-id");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: "server_error", request_id: id });
    const errors = records.filter((record) => record.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.fields).toMatchObject({ request_id: id, error: "TypeError: boom at the database layer" });
    expect(String(errors[0]!.fields.stack)).toContain("operations.test.ts");
  });
});
