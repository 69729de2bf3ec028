/**
 * Checks that named values of a signed answer come from the set iSHARE documents for them, not "any string":
 * role names (capabilities `ishare_roles[].role`, party records `roles[].role`) against the roles the OpenAPI
 * 2.0 document names, and version values against the format it gives.
 *
 * Source: iSHARE OpenAPI 2.0 (iSHAREScheme/openapi@dc04db4, `ishare_openapi_spec.yaml`): `SchemeRole.role` and
 * `Role_definition.role` say "Possible roles are ServiceConsumer, ServiceProvider, EntitledParty,
 * AuthorisationRegistry, IdentityProvider, IdentityBroker and iShareSatellite" (a description, no schema `enum`);
 * `Version.version_name` says "Expected format should be {major}.{minor}.{patch}"; `SupportedVersion.version` is
 * "Version of the system which is under support" with no format (the document's example token says "1.7").
 */
import { type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { withPayloadMember } from "./jwt-payload.ts";

/**
 * The iSHARE 2.x role names, compared case-sensitively: the seven the OpenAPI 2.0 document names, and
 * `ParticipantRegistry`, which that document's own example party record carries (`roles[].role`) and which
 * the OpenAPI 3.0 document (iSHAREScheme/openapi@0118ad0, `SchemeRole.role`) names as the successor of
 * iShareSatellite ("iShareSatellite (deprecated, will be removed in future releases, use ParticipantRegistry
 * instead)").
 */
// Written out here, not taken from model/target.ts ROLES (the same names, the roles a target may be configured
// with): the judge keeps its own copy of the published list, so an error in the shared one cannot make the
// reference and the harness agree.
export const ISHARE_ROLES_2_X = [
  "ServiceConsumer",
  "ServiceProvider",
  "EntitledParty",
  "AuthorisationRegistry",
  "IdentityProvider",
  "IdentityBroker",
  "iShareSatellite",
  "ParticipantRegistry",
] as const;

/** The closed sets a check can name (`enumeration:`), keyed by the name a suite uses. */
export const ENUMERATIONS = {
  "ishare-roles-2.x": ISHARE_ROLES_2_X,
} as const satisfies Record<string, readonly string[]>;

/** The formats a check can name (`format:`): a pattern and the words a message uses for it. */
export const FORMATS = {
  /** `Version.version_name`: "Expected format should be {major}.{minor}.{patch}". */
  "major-minor-patch": { pattern: /^\d+\.\d+\.\d+$/, text: "{major}.{minor}.{patch} (digits)" },
  /**
   * `SupportedVersion.version`: no format given; the document's example ("1.7") and iSHARE's own version names
   * ("2.0", "2.0.1") are dotted numbers, so two or three numeric parts.
   */
  "version-number": {
    pattern: /^\d+\.\d+(\.\d+)?$/,
    text: "{major}.{minor} or {major}.{minor}.{patch} (digits)",
  },
} as const;

export type EnumerationName = keyof typeof ENUMERATIONS;
export type FormatName = keyof typeof FORMATS;

/** One value found under a path, with where it sits (for messages). */
export interface Located {
  readonly where: string;
  readonly value: unknown;
}

/**
 * The values at `path` under `value`: dotted member names, `name[]` (or a bare `[]`) for every item of an array.
 * `ishare_roles[].role` on capabilities_info yields each role; `[].roles[].role` on a list of parties yields
 * every role of every party. A missing member yields nothing; a `[]` on a non-array yields nothing.
 */
export function valuesAt(value: unknown, path: string, where = ""): Located[] {
  let found: Located[] = [{ where, value }];
  for (const segment of path.split(".")) {
    const each = segment.endsWith("[]");
    const name = each ? segment.slice(0, -2) : segment;
    const next: Located[] = [];
    for (const item of found) {
      let current: Located = item;
      if (name !== "") {
        const holder = item.value;
        if (holder === null || typeof holder !== "object" || Array.isArray(holder)) continue;
        if (!Object.hasOwn(holder, name)) continue;
        current = { where: `${item.where}.${name}`, value: (holder as Record<string, unknown>)[name] };
      }
      if (!each) {
        next.push(current);
        continue;
      }
      if (!Array.isArray(current.value)) continue;
      for (const [index, element] of current.value.entries())
        next.push({ where: `${current.where}[${index}]`, value: element });
    }
    found = next;
  }
  return found;
}

/** The member of `allowed` that `seen` equals ignoring case, for a "differs only in case" hint. */
function caseVariantOf(seen: string, allowed: readonly string[]): string | undefined {
  return allowed.find((name) => name !== seen && name.toLowerCase() === seen.toLowerCase());
}

/** Judges located values against a closed set, case-sensitively. */
export function judgeEnumeration(
  located: readonly Located[],
  allowed: readonly string[],
  base: string,
  label: string,
): CheckVerdict {
  if (located.length === 0) return pass(`no ${label} values in ${base}`);
  const wrong = located.filter((item) => typeof item.value !== "string" || !allowed.includes(item.value));
  if (wrong.length === 0)
    return pass(
      `${located.length} ${label} value(s) in ${base} are known: ${show(located.map((i) => i.value))}`,
    );
  const seen = wrong.slice(0, 3).map((item) => {
    const hint = typeof item.value === "string" ? caseVariantOf(item.value, allowed) : undefined;
    return `${base}${item.where} ${show(item.value, 60)}${hint ? ` (differs only in case from "${hint}")` : ""}`;
  });
  return fail(
    `expected every ${label} value to be one of ${allowed.join(", ")} (compared case-sensitively), saw ${seen.join(", ")}${wrong.length > 3 ? ` (+${wrong.length - 3} more)` : ""}`,
  );
}

/** Judges located values against a format. */
export function judgeFormat(
  located: readonly Located[],
  format: FormatName,
  base: string,
  label: string,
): CheckVerdict {
  const { pattern, text } = FORMATS[format];
  if (located.length === 0) return pass(`no ${label} values in ${base}`);
  const wrong = located.filter((item) => typeof item.value !== "string" || !pattern.test(item.value));
  if (wrong.length === 0)
    return pass(
      `${located.length} ${label} value(s) in ${base} are ${text}: ${show(located.map((i) => i.value))}`,
    );
  const seen = wrong.slice(0, 3).map((item) => `${base}${item.where} ${show(item.value, 60)}`);
  return fail(
    `expected every ${label} value to be ${text}, saw ${seen.join(", ")}${wrong.length > 3 ? ` (+${wrong.length - 3} more)` : ""}`,
  );
}

const baseParams = (extra: Record<string, unknown>, required: string[]) => ({
  type: "object",
  additionalProperties: false,
  required: ["from", "at", "path", ...required],
  properties: {
    from: { type: "string", minLength: 1 },
    at: { type: "string", minLength: 1 },
    path: { type: "string", minLength: 1 },
    ...extra,
  },
});

/** The last member name of a path, for messages (`ishare_roles[].role` → `role`). */
function labelOf(path: string): string {
  return (path.split(".").pop() ?? path).replace(/\[\]$/, "") || path;
}

/**
 * `values-in-enumeration`: every value at `path` under the payload member `at` of the JWT `from` is one of a
 * named closed set (`enumeration: ishare-roles-2.x`), compared case-sensitively.
 */
export const valuesInEnumeration = defineCheck<{
  from: string;
  at: string;
  path: string;
  enumeration: EnumerationName;
}>({
  name: "values-in-enumeration",
  description:
    "Every value at `path` (e.g. ishare_roles[].role) of a signed answer's member is one of a named iSHARE set, case-sensitively.",
  params: baseParams({ enumeration: { enum: Object.keys(ENUMERATIONS) } }, ["enumeration"]),
  run: (context, { from, at, path, enumeration }) =>
    withPayloadMember(context, from, at, (member) =>
      judgeEnumeration(valuesAt(member.value, path), ENUMERATIONS[enumeration], member.where, labelOf(path)),
    ),
});

/** `values-match-format`: every value at `path` under the payload member `at` of the JWT `from` has a named format. */
export const valuesMatchFormat = defineCheck<{ from: string; at: string; path: string; format: FormatName }>({
  name: "values-match-format",
  description:
    "Every value at `path` (e.g. supported_versions[].version) of a signed answer's member has a named format.",
  params: baseParams({ format: { enum: Object.keys(FORMATS) } }, ["format"]),
  run: (context, { from, at, path, format }) =>
    withPayloadMember(context, from, at, (member) =>
      judgeFormat(valuesAt(member.value, path), format, member.where, labelOf(path)),
    ),
});
