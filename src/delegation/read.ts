/** Validating untyped JSON as a delegation mask or evidence (schemas/delegation-*.schema.json), so it is typed after. */
import { describeSchemaErrors, validatorFor } from "../config/schemas.ts";
import type { DelegationEvidence, DelegationMask } from "./types.ts";

/** The value typed, or the problems that keep it from being one (one line each, with the key path). */
export type ReadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

function read<T>(schema: string, value: unknown): ReadResult<T> {
  const validate = validatorFor(schema);
  if (validate(value)) return { ok: true, value: value as T };
  // A failed `contains` (a Permit rule somewhere) reports every item it tried; only the summary helps a reader.
  const errors = (validate.errors ?? [])
    .filter((error) => !error.schemaPath.includes("/contains/"))
    .map((error) =>
      error.keyword === "contains" ? { ...error, message: 'must hold a rule with effect "Permit"' } : error,
    );
  return { ok: false, problems: describeSchemaErrors(errors) };
}

/** Reads a `delegationEvidence` object (spec digest §5.3). */
export function readEvidence(value: unknown): ReadResult<DelegationEvidence> {
  return read<DelegationEvidence>("delegation-evidence", value);
}

/**
 * Reads a delegation mask (spec digest §5.2), as strictly as the reference Authorisation Registry: unknown
 * members refused, resource type without whitespace or `*`, non-empty unique value lists, a Permit rule in
 * every policy.
 */
export function readMask(value: unknown): ReadResult<DelegationMask> {
  return read<DelegationMask>("delegation-mask", value);
}
