import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { API_DOCS_PATH, apiDocument, renderApiDocs } from "./api-docs.ts";

test("docs/api.json is what the route tables generate (run `bun scripts/api-docs.ts` after changing a route)", () => {
  expect(readFileSync(API_DOCS_PATH, "utf8")).toBe(renderApiDocs());
});

test("the generated document carries each route's declared parameters", () => {
  const paths = apiDocument().paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; parameters?: { name: string }[] }>>;
  expect(Object.keys(paths["/oauth2/v1/token"]!.post!.requestBody!.content["application/x-www-form-urlencoded"]!.schema.properties)).toContain("code_verifier");
  expect(paths["/oauth2/v1/authorize"]!.get!.parameters!.map((parameter) => parameter.name)).toContain("code_challenge");
  expect(paths["/oid4vp/v1/presentations/{id}"]!.get!.parameters!.map((parameter) => parameter.name)).toEqual(expect.arrayContaining(["id", "response_code"]));
});
