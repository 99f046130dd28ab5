import { getSchemaValidator, type TSchema } from "elysia";
import type { Params, ParamSchema } from "../lib/params.ts";

/** What a failed check says: the parameter's name and, in words, what is wrong with it. */
export interface ParamProblem {
  name: string;
  problem: string;
}

type Validator = { Check(value: unknown): boolean; Errors(value: unknown): Iterable<{ path: string; schema: Record<string, unknown> }> };
const compiled = new WeakMap<ParamSchema, Validator>();

/**
 * Checks a request's parameters against the route's declared schema. Parameters are strings
 * (a form, a query, or a flat JSON body whose non-strings Params has already serialised); an empty
 * value counts as absent (RFC 6749 §3.1); names the schema does not declare pass unchecked, since
 * a protocol server must ignore parameters it does not know. Returns the first problem, or null.
 * The caller turns it into its API's error (`invalid_request`, or the account API's `invalid_input`),
 * never Elysia's 422.
 */
export function findParamProblem(schema: ParamSchema, params: Params): ParamProblem | null {
  const values = Object.fromEntries([...params.toSearchParams()].filter(([, value]) => value !== ""));
  const validator = validatorFor(schema);
  if (validator.Check(values)) return null;
  for (const error of validator.Errors(values)) {
    const name = decodeURIComponent(error.path.slice(1).split("/")[0] ?? "").replace(/~1/g, "/").replace(/~0/g, "~");
    return { name, problem: describe(error.schema, values[name]) };
  }
  return { name: "", problem: "is not valid" };
}

function validatorFor(schema: ParamSchema): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = getSchemaValidator(schema as unknown as TSchema, { additionalProperties: true }) as unknown as Validator;
    compiled.set(schema, validator);
  }
  return validator;
}

/** A person-readable account of why `value` fails `schema`, from the schema itself (TypeBox's own messages name its internals). */
function describe(schema: Record<string, unknown>, value: string | undefined): string {
  if (value === undefined) return "is required";
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : null;
  if (maxLength !== null && value.length > maxLength) return `is longer than ${maxLength} characters`;
  const minLength = typeof schema.minLength === "number" ? schema.minLength : null;
  if (minLength !== null && value.length < minLength) return `is shorter than ${minLength} characters`;
  const choices = Array.isArray(schema.enum) ? schema.enum : Array.isArray(schema.anyOf) ? schema.anyOf.map((option: { const?: unknown }) => option.const) : null;
  if (choices) return `must be one of: ${choices.join(", ")}`;
  return "is not in the expected form";
}
