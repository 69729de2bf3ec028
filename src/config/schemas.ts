/** Loads the JSON Schemas in schemas/ into one Ajv instance, compiles each once, and words errors for users. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/** The package's schemas/ folder. */
export const SCHEMAS_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let shared: Ajv | undefined;

/** One Ajv for the process with every schema in schemas/ registered under its `$id`. */
export function schemaRegistry(): Ajv {
  if (shared) return shared;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const file of readdirSync(SCHEMAS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const schema = JSON.parse(readFileSync(SCHEMAS_DIR + file, "utf8")) as { $id?: string };
    ajv.addSchema(schema, schema.$id ?? file.replace(/\.schema\.json$|\.json$/, ""));
  }
  shared = ajv;
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for a schema id (compiled once per process). */
export function validatorFor(id: string): ValidateFunction {
  let validate = compiled.get(id);
  if (!validate) {
    validate = schemaRegistry().getSchema(id);
    if (!validate) throw new Error(`unknown schema "${id}"; schemas live in ${SCHEMAS_DIR}`);
    compiled.set(id, validate);
  }
  return validate;
}

/** Is there a schema with this id? */
export function hasSchema(id: string): boolean {
  return schemaRegistry().getSchema(id) !== undefined;
}

/** `/targets/my-ar/client` → `targets.my-ar.client` (root: `(top level)`). */
export function keyPath(instancePath: string): string {
  if (instancePath === "") return "(top level)";
  return instancePath
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : part))
    .join(".")
    .replace(/\.\[/g, "[");
}

/** One readable line per Ajv error, most specific first, without the noise of if/then wrappers. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === "if" || error.keyword === "oneOf" || error.keyword === "anyOf") continue;
    const at = keyPath(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "required":
        lines.add(`${at}: missing required key "${String(params["missingProperty"])}"`);
        break;
      case "additionalProperties":
        lines.add(`${at}: unknown key "${String(params["additionalProperty"])}" (check the spelling)`);
        break;
      case "enum":
        lines.add(
          `${at}: must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        );
        break;
      case "const":
        lines.add(`${at}: must be ${JSON.stringify(params["allowedValue"])}`);
        break;
      case "propertyNames":
        lines.add(`${at}: invalid name "${String(params["propertyName"])}"`);
        break;
      default:
        lines.add(`${at}: ${error.message ?? "is invalid"}`);
    }
  }
  return [...lines];
}
