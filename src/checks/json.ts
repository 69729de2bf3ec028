/** Checks on a JSON body: parseable, schema-valid, fields present, absent or equal. */
import { describeSchemaErrors, hasSchema, validatorFor } from "../config/schemas.ts";
import { type CheckContext, type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { lookup } from "./json-path.ts";

/** The parsed body, or the failure verdict that explains why there is none. */
function bodyOf(context: CheckContext): { value: unknown } | CheckVerdict {
  const parsed = context.json();
  if (!parsed.ok) return fail(`expected a JSON body, ${parsed.message}`);
  return { value: parsed.value };
}

/** `json-object-body`: the body parses as a JSON object. */
export const jsonObjectBody = defineCheck<Record<string, never>>({
  name: "json-object-body",
  description: "The body is a JSON object.",
  params: { type: "object", additionalProperties: false },
  run(context) {
    const body = bodyOf(context);
    if ("ok" in body) return body;
    return body.value !== null && typeof body.value === "object" && !Array.isArray(body.value)
      ? pass("JSON object")
      : fail(`expected a JSON object body, saw ${show(body.value)}`);
  },
});

/** `json-schema`: the body (or a part of it) is valid against a schema in schemas/. */
export const jsonSchema = defineCheck<{ schema: string; at?: string }>({
  name: "json-schema",
  description: "The JSON body (or the member at `at`) is valid against a schema from schemas/.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["schema"],
    properties: { schema: { type: "string", minLength: 1 }, at: { type: "string", minLength: 1 } },
  },
  run(context, { schema, at }) {
    const body = bodyOf(context);
    if ("ok" in body) return body;
    let value = body.value;
    if (at !== undefined) {
      const found = lookup(value, at);
      if (!found.found) return fail(`expected body.${at} to validate against ${schema}, saw it absent`);
      value = found.value;
    }
    if (!hasSchema(schema)) return fail(`schema ${schema} is not in schemas/ (harness configuration)`);
    const validate = validatorFor(schema);
    if (validate(value)) return pass(`valid against ${schema}`);
    const where = at === undefined ? "body" : `body.${at}`;
    return fail(
      `expected ${where} to match schema ${schema}: ${describeSchemaErrors(validate.errors).slice(0, 5).join("; ")}`,
    );
  },
});

/** `json-field-equals`: a member has an exact value (strings may use {{placeholders}}). */
export const jsonFieldEquals = defineCheck<{ path: string; value: unknown; ignoreCase?: boolean }>({
  name: "json-field-equals",
  description: "A member of the JSON body equals the expected value.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["path", "value"],
    properties: { path: { type: "string", minLength: 1 }, value: {}, ignoreCase: { type: "boolean" } },
  },
  run(context, { path, value, ignoreCase }) {
    const body = bodyOf(context);
    if ("ok" in body) return body;
    const expected = typeof value === "string" ? context.render(value) : value;
    const found = lookup(body.value, path);
    if (!found.found) return fail(`expected body.${path} = ${show(expected)}, saw it absent`);
    const same =
      ignoreCase && typeof found.value === "string" && typeof expected === "string"
        ? found.value.toLowerCase() === expected.toLowerCase()
        : JSON.stringify(found.value) === JSON.stringify(expected);
    return same
      ? pass(`body.${path} = ${show(found.value)}`)
      : fail(`expected body.${path} = ${show(expected)}, saw ${show(found.value)}`);
  },
});

/** `json-field-absent`: a member is not present (e.g. no refresh_token). */
export const jsonFieldAbsent = defineCheck<{ path: string }>({
  name: "json-field-absent",
  description: "A member is absent from the JSON body.",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: { path: { type: "string", minLength: 1 } },
  },
  run(context, { path }) {
    const body = bodyOf(context);
    if ("ok" in body) return body;
    const found = lookup(body.value, path);
    return found.found ? fail(`expected no body.${path}, saw ${show(found.value)}`) : pass(`no body.${path}`);
  },
});

/** `json-field-present`: a member exists, optionally of a JSON type. */
export const jsonFieldPresent = defineCheck<{ path: string; type?: string }>({
  name: "json-field-present",
  description: "A member exists in the JSON body (optionally with a given JSON type).",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["path"],
    properties: {
      path: { type: "string", minLength: 1 },
      type: { enum: ["string", "number", "integer", "boolean", "object", "array", "null"] },
    },
  },
  run(context, { path, type }) {
    const body = bodyOf(context);
    if ("ok" in body) return body;
    const found = lookup(body.value, path);
    if (!found.found) return fail(`expected body.${path}${type ? ` (${type})` : ""}, saw it absent`);
    if (type === undefined) return pass(`body.${path} present`);
    const actual = jsonType(found.value);
    const ok = actual === type || (type === "number" && actual === "integer");
    return ok
      ? pass(`body.${path} is ${type}`)
      : fail(`expected body.${path} to be ${type}, saw ${actual} ${show(found.value)}`);
  },
});

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
