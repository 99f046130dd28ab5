// The admin API's OpenAPI 3.1 document: generated from the route tables, valid by a maintained
// validator (@seriousme/openapi-schema-validator), every documented operation answers, and the
// reference page renders it from the binary with no third-party request.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { addAdmin, userToken } from "./support/admin-api.ts";
import { provision } from "./support/fixtures.ts";
import { removeDataDir, startSigil, type SigilServer } from "./support/sigil.ts";
import { API_DOCS_PATH } from "../scripts/api-docs.ts";

let server: SigilServer;
let token: string;
beforeAll(async () => {
  server = await startSigil();
  token = await userToken(server, await addAdmin(server, await provision(server), "root"));
});
afterAll(async () => {
  await server.stop();
  removeDataDir(server.dataDir);
});

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };
const served = async () => (await (await server.fetch("/admin/api/v1/openapi.json")).json()) as Document;

test("the served document is valid OpenAPI 3.1, and so is docs/api.json which includes it", async () => {
  for (const document of [await served(), JSON.parse(readFileSync(API_DOCS_PATH, "utf8")) as Document]) {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator["validate"]>[0]);
    expect({ valid: result.valid, errors: result.errors }).toEqual({ valid: true, errors: undefined });
    expect(validator.version).toBe("3.1");
  }
  const document = await served();
  expect(Object.keys((JSON.parse(readFileSync(API_DOCS_PATH, "utf8")) as Document).paths)).toEqual(expect.arrayContaining(Object.keys(document.paths)));
});

test("every documented operation answers: no 404 from routing (only a named missing resource) and no 405", async () => {
  const document = await served();
  let count = 0;
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const method of Object.keys(methods)) {
      // Path segments name nothing that exists, so no call here changes a resource that matters.
      const concrete = path.replace(/\{[a-z_]+\}/g, "no-such-thing");
      const response = await server.fetch(`/admin/api/v1${concrete.slice("/admin/api/v1".length)}`, {
        method: method.toUpperCase(), headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(method === "get" || method === "delete" ? {} : { body: "{}" }),
      });
      const body = response.status === 204 ? {} : ((await response.json()) as { error?: string; field?: string });
      const answer = { operation: `${method} ${path}`, status: response.status, routed: response.status !== 404 || body.field !== undefined };
      expect(answer).toEqual({ ...answer, routed: true });
      expect(response.status).not.toBe(405);
      expect(response.status).toBeLessThan(500);
      count++;
    }
  }
  expect(count).toBeGreaterThan(30);
});

test("the reference page lists every operation, with a same-origin stylesheet and no script", async () => {
  const page = await server.fetch("/admin/api/docs");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
  const html = await page.text();
  expect(html).not.toMatch(/<script|https?:\/\/(?!localhost)/);
  for (const path of Object.keys((await served()).paths)) expect(html).toContain(path);
  const css = await server.fetch("/admin/api/docs.css");
  expect({ status: css.status, type: css.headers.get("content-type") }).toEqual({ status: 200, type: "text/css; charset=utf-8" });
});
