import { getSchemaValidator, type TSchema } from "elysia";
import type { ParamSchema } from "../lib/params.ts";

type Validator = { Check(value: unknown): boolean; Errors(value: unknown): Iterable<{ path: string; message: string; value: unknown }> };
const compiled = new WeakMap<ParamSchema, Validator>();

/**
 * Checks a JSON body (nested values and all) against its route's schema with Elysia's own
 * validator, the one its `body:` option would use; unlike findParamProblem, members the schema
 * does not declare are refused where it says so (admin bodies: a misspelt member must not be a
 * silent no-op). Returns the first problem: the top-level member at fault and what is wrong.
 */
export function findBodyProblem(schema: ParamSchema, body: unknown): { field: string; problem: string } | null {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = getSchemaValidator(schema as unknown as TSchema) as unknown as Validator;
    compiled.set(schema, validator);
  }
  if (validator.Check(body)) return null;
  for (const error of validator.Errors(body)) {
    const field = decodeURIComponent(error.path.slice(1).split("/")[0] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
    return { field: field || "body", problem: error.message };
  }
  return { field: "body", problem: "is not valid" };
}
