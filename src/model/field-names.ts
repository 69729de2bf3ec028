/**
 * Member names that differ between iSHARE versions, keyed by their 2.0 (snake_case) name. Suites write
 * `{{field.<2.0 name>}}`, checks and the reference target call {@link fieldName}: one table decides.
 *
 * Sources (spec digest §6, §12): v2.1 replaced the `eori` query parameter of /parties by `id`; the 2.1.1+
 * / 3.0 party model names the party's primary identifier `id` (with `alsoKnownAs`); the 3.0 portal pages
 * name the registry's signed members in camelCase (`partyToken` + `partyInfo` on /parties/{id},
 * `trustedListToken` + `trustedList` + `certificateFingerprint` on /trusted_list, `partiesToken` on
 * /parties). iSHARE's OpenAPI 3.0 document (iSHAREScheme/openapi@0118ad0, components.schemas
 * capabilitiesResponse, jwtPayloadCapabilitiesToken, partiesResponse, dataspacesResponse, jwtPayloadDataspacesToken)
 * confirms `partiesInfo` and names `capabilitiesToken` + `capabilitiesInfo`, `dataspacesToken` + `dataspacesInfo`.
 * Names absent from the table are the same in every version.
 */
import type { IshareVersion } from "./target.ts";

/** Version-dependent names: the 2.0 name, and what later versions call it (a version not listed inherits). */
export const FIELD_NAMES = {
  eori: { "2.1": "id", "3.0": "id" },
  party_id: { "3.0": "id" },
  parties_token: { "3.0": "partiesToken" },
  parties_info: { "3.0": "partiesInfo" },
  party_token: { "3.0": "partyToken" },
  party_info: { "3.0": "partyInfo" },
  trusted_list_token: { "3.0": "trustedListToken" },
  trusted_list: { "3.0": "trustedList" },
  certificate_fingerprint: { "3.0": "certificateFingerprint" },
  capabilities_token: { "3.0": "capabilitiesToken" },
  capabilities_info: { "3.0": "capabilitiesInfo" },
  dataspace_list_token: { "3.0": "dataspacesToken" },
  dataspace_info: { "3.0": "dataspacesInfo" },
} as const satisfies Record<string, Partial<Record<IshareVersion, string>>>;

/** A 2.0 member name with a version-dependent spelling. */
export type VersionedField = keyof typeof FIELD_NAMES;

/** True when `name` is a 2.0 name listed in {@link FIELD_NAMES}. */
export function isVersionedField(name: string): name is VersionedField {
  return Object.hasOwn(FIELD_NAMES, name);
}

const ORDER: readonly IshareVersion[] = ["2.0", "2.1", "3.0"];

/** The name `version` uses for the 2.0 member `name` (the nearest earlier version's spelling applies). */
export function fieldName(version: IshareVersion, name: VersionedField): string {
  const names: Partial<Record<IshareVersion, string>> = FIELD_NAMES[name];
  for (let i = ORDER.indexOf(version); i >= 0; i--) {
    const found = names[ORDER[i]!];
    if (found !== undefined) return found;
  }
  return name;
}
