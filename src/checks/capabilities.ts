/**
 * Checks on `capabilities_info` (spec digest §4) and the 3.0 `capabilitiesInfo` (OpenAPI 3.0 at
 * iSHAREScheme/openapi@0118ad0, `components.schemas.capabilitiesInfo`: `publicServices` and `restrictedServices`
 * of `service` objects named by `identifier`, served at `endpointURL`): the access-token feature is public, and an
 * anonymous caller sees no restricted features. `from` names the JWT (`capabilities_token`, 3.0 `capabilitiesToken`).
 */
import { defineCheck, fail, pass, show } from "./check.ts";
import { withPayloadMember } from "./jwt-payload.ts";

/** A feature name reduced for comparison: `Access token`, `access_token` and `AccessToken` are alike. */
export function normaliseFeatureName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Every `supported_features[]` entry of every supported version, with where it sits (for messages). */
export function featureGroups(info: unknown): Array<{ where: string; group: Record<string, unknown> }> {
  const groups: Array<{ where: string; group: Record<string, unknown> }> = [];
  const versions = (info as { supported_versions?: unknown } | null)?.supported_versions;
  if (!Array.isArray(versions)) return groups;
  for (const [vi, version] of versions.entries()) {
    const features = (version as { supported_features?: unknown } | null)?.supported_features;
    if (!Array.isArray(features)) continue;
    for (const [fi, group] of features.entries()) {
      if (group !== null && typeof group === "object" && !Array.isArray(group)) {
        groups.push({
          where: `supported_versions[${vi}].supported_features[${fi}]`,
          group: group as Record<string, unknown>,
        });
      }
    }
  }
  return groups;
}

/** The 3.0 member holding the services of one kind. */
const SERVICES_3_0 = { public: "publicServices", restricted: "restrictedServices" } as const;

/** True when `info` is shaped as the 3.0 capabilitiesInfo (publicServices / restrictedServices, no supported_versions). */
export function isCapabilitiesInfo30(info: unknown): boolean {
  if (info === null || typeof info !== "object" || Array.isArray(info)) return false;
  return "publicServices" in info || "restrictedServices" in info;
}

/**
 * The 3.0 services of one kind as features: `feature` the service's identifier (and `title` beside it), `url` its
 * endpointURL, so that one lookup serves every version.
 */
function services30(info: unknown, kind: "public" | "restricted"): Array<Record<string, unknown>> {
  const list = (info as Record<string, unknown>)[SERVICES_3_0[kind]];
  if (!Array.isArray(list)) return [];
  return list
    .filter((s): s is Record<string, unknown> => s !== null && typeof s === "object" && !Array.isArray(s))
    .map((service) => ({ ...service, feature: service["identifier"], url: service["endpointURL"] }));
}

/** The feature entries of one kind (`public` or `restricted`) across all groups (3.0: the services). */
export function featuresOf(info: unknown, kind: "public" | "restricted"): Array<Record<string, unknown>> {
  if (isCapabilitiesInfo30(info)) return services30(info, kind);
  return featureGroups(info).flatMap(({ group }) => {
    const list = group[kind];
    return Array.isArray(list)
      ? list.filter((f): f is Record<string, unknown> => f !== null && typeof f === "object")
      : [];
  });
}

interface FeatureParams {
  from: string;
  at: string;
  feature: string | string[];
}

/** `capabilities-public-feature`: a public feature of the given name (any of several spellings) is listed. */
export const capabilitiesPublicFeature = defineCheck<FeatureParams>({
  name: "capabilities-public-feature",
  description:
    "capabilities_info lists a public feature with the given name (compared ignoring case, spaces and punctuation).",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["from", "at", "feature"],
    properties: {
      from: { type: "string", minLength: 1 },
      at: { type: "string", minLength: 1 },
      feature: {
        oneOf: [
          { type: "string", minLength: 1 },
          { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
        ],
      },
    },
  },
  run: (context, { from, at, feature }) =>
    withPayloadMember(context, from, at, (member) => {
      const wanted = (Array.isArray(feature) ? feature : [feature]).map(normaliseFeatureName);
      const features = featuresOf(member.value, "public");
      const names = features.map((f) => f["feature"]);
      // 3.0 services are named by identifier (the operationId) and carry a human title: either may match.
      const hit = features
        .flatMap((f) => [f["feature"], f["title"]])
        .find((name) => typeof name === "string" && wanted.includes(normaliseFeatureName(name)));
      const label = Array.isArray(feature) ? feature.join(" / ") : feature;
      return hit !== undefined
        ? pass(`public feature ${show(hit)} listed`)
        : fail(`expected a public "${label}" feature in ${member.where}, saw public features ${show(names)}`);
    }),
});

/** `capabilities-no-restricted`: no restricted features are listed (anonymous call): absent, null or empty. */
export const capabilitiesNoRestricted = defineCheck<{ from: string; at: string }>({
  name: "capabilities-no-restricted",
  description:
    "capabilities_info lists no restricted features (restricted absent, null or empty everywhere).",
  params: {
    type: "object",
    additionalProperties: false,
    required: ["from", "at"],
    properties: { from: { type: "string", minLength: 1 }, at: { type: "string", minLength: 1 } },
  },
  run: (context, { from, at }) =>
    withPayloadMember(context, from, at, (member) => {
      if (isCapabilitiesInfo30(member.value)) {
        const restricted = (member.value as Record<string, unknown>)["restrictedServices"];
        if (
          restricted === undefined ||
          restricted === null ||
          (Array.isArray(restricted) && restricted.length === 0)
        )
          return pass("no restricted services");
        return fail(
          `expected no restricted services for an anonymous caller in ${member.where}, saw ${member.where}.restrictedServices ${show(featuresOf(member.value, "restricted").map((f) => f["feature"]))}`,
        );
      }
      const shown = featureGroups(member.value).filter(({ group }) => {
        const restricted = group["restricted"];
        return !(
          restricted === undefined ||
          restricted === null ||
          (Array.isArray(restricted) && restricted.length === 0)
        );
      });
      if (shown.length === 0) return pass("no restricted features");
      const names = featuresOf(member.value, "restricted").map((f) => f["feature"]);
      return fail(
        `expected no restricted features for an anonymous caller in ${member.where}, saw ${shown.map((s) => `${s.where}.restricted`).join(", ")} ${show(names)}`,
      );
    }),
});
