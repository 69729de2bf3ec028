/**
 * The reference Authorisation Registry's own policy decision (spec digest §5.3), written apart from the
 * harness's evaluator (src/delegation/evaluate.ts) that judges the evidence it returns: each question of a mask
 * is permitted when one stored policy covers it (type, identifiers, attributes, actions, service providers;
 * a missing list or `"*"` means all) and none of that policy's Deny rules touches it.
 */
import type { Effect, Policy, PolicySet, PolicyTarget, Rule } from "../delegation/types.ts";

/** The stored policies of one (policyIssuer, accessSubject) pair and when they hold (Unix seconds). */
export interface StoredGrant {
  readonly policySets: readonly PolicySet[];
  readonly notBefore: number;
  readonly notOnOrAfter: number;
}

const everything = (list: readonly string[] | undefined) => list === undefined || list.includes("*");

/** Every value asked for is granted. */
function grants(granted: readonly string[] | undefined, asked: readonly string[] | undefined): boolean {
  if (everything(granted)) return true;
  if (everything(asked)) return false;
  return asked!.every((value) => granted!.includes(value));
}

/** Some value asked for is touched by the rule. */
function touches(ruled: readonly string[] | undefined, asked: readonly string[] | undefined): boolean {
  if (everything(ruled) || everything(asked)) return true;
  return asked!.some((value) => ruled!.includes(value));
}

const typeFits = (type: string | undefined, asked: string) =>
  type === undefined || type === "*" || type === asked;

function covers(policy: Policy, asked: PolicyTarget): boolean {
  const { resource, actions, environment } = policy.target;
  if (!typeFits(resource.type, asked.resource.type)) return false;
  if (!grants(resource.identifiers, asked.resource.identifiers)) return false;
  if (!grants(resource.attributes, asked.resource.attributes)) return false;
  if (!grants(actions, asked.actions)) return false;
  if (environment?.serviceProviders === undefined) return true;
  const askedProviders = asked.environment?.serviceProviders;
  return askedProviders !== undefined && grants(environment.serviceProviders, askedProviders);
}

function denies(rule: Rule, asked: PolicyTarget): boolean {
  if (rule.effect !== "Deny") return false;
  const resource = rule.target?.resource;
  return (
    typeFits(resource?.type, asked.resource.type) &&
    touches(resource?.identifiers, asked.resource.identifiers) &&
    touches(resource?.attributes, asked.resource.attributes) &&
    touches(rule.target?.actions, asked.actions)
  );
}

/** The answer to each question of the mask, in mask order (policySets, then policies); all Deny outside the grant's validity. */
export function decide(grant: StoredGrant, questions: readonly PolicySet[], nowS: number): Effect[] {
  const valid = grant.notBefore <= nowS && nowS < grant.notOnOrAfter;
  const stored = grant.policySets.flatMap((set) => set.policies);
  return questions.flatMap((set) =>
    set.policies.map((question): Effect => {
      if (!valid) return "Deny";
      const permitted = stored.some(
        (policy) =>
          covers(policy, question.target) &&
          policy.rules.some((rule) => rule.effect === "Permit") &&
          !policy.rules.some((rule) => denies(rule, question.target)),
      );
      return permitted ? "Permit" : "Deny";
    }),
  );
}
