/**
 * Checks on `capabilities_info` (spec digest §4): the access-token feature is public, and an anonymous caller
 * sees no restricted features. `from` names the JWT (`capabilities_token`).
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

/** The feature entries of one kind (`public` or `restricted`) across all groups. */
export function featuresOf(info: unknown, kind: "public" | "restricted"): Array<Record<string, unknown>> {
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
      const names = featuresOf(member.value, "public").map((f) => f["feature"]);
      const hit = names.find(
        (name) => typeof name === "string" && wanted.includes(normaliseFeatureName(name)),
      );
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
