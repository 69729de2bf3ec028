/**
 * Interpreting delegation evidence: does it permit what a mask asks? Policies combine permit-overrides (one
 * permitting policy suffices), rules within a policy deny-overrides (any overlapping Deny rule wins), and a
 * missing list or `"*"` means "all" (spec digest §5.3).
 */
import type {
  DelegationEvidence,
  DelegationMask,
  DelegationRequest,
  Effect,
  Policy,
  PolicyTarget,
  RuleTarget,
} from "./types.ts";

/** The answer for one policy of the mask (one question). */
export interface PolicyVerdict {
  /** Where the question sits in the mask: `policySets[0].policies[1]`. */
  readonly at: string;
  readonly effect: Effect;
  /** Why: which evidence policy permits it, or why none does. */
  readonly reason: string;
}

/** The answer for the whole mask. */
export interface Evaluation {
  /** Permit only when the evidence is about the mask's issuer and subject, valid (if timed) and permits every mask policy. */
  readonly effect: Effect;
  /** Reasons for Deny that concern the evidence as a whole (issuer, subject, validity, empty mask). */
  readonly reasons: readonly string[];
  readonly policies: readonly PolicyVerdict[];
}

export interface EvaluateOptions {
  /** Judge the evidence's validity period at this Unix time (seconds); absent: time is not considered. */
  readonly atS?: number;
}

/** A finite list of values, or every value. */
type ValueSet = { readonly all: true } | { readonly all: false; readonly values: ReadonlySet<string> };

const ALL: ValueSet = { all: true };

/** A missing list, or one holding `"*"`, is every value. */
function valueSet(list: readonly string[] | undefined): ValueSet {
  if (list === undefined || list.includes("*")) return ALL;
  return { all: false, values: new Set(list) };
}

/** Does `granted` include every value `asked` names? */
function covers(granted: ValueSet, asked: ValueSet): boolean {
  if (granted.all) return true;
  if (asked.all) return false;
  for (const value of asked.values) if (!granted.values.has(value)) return false;
  return true;
}

/** Do the two sets share at least one value? */
function overlaps(a: ValueSet, b: ValueSet): boolean {
  if (a.all || b.all) return true;
  for (const value of a.values) if (b.values.has(value)) return true;
  return false;
}

function typeMatches(granted: string | undefined, asked: string): boolean {
  return granted === undefined || granted === "*" || granted === asked;
}

/** Why the evidence policy's target does not cover the question, or undefined when it does. */
function coverageProblem(granted: PolicyTarget, asked: PolicyTarget): string | undefined {
  if (!typeMatches(granted.resource.type, asked.resource.type))
    return `resource type ${granted.resource.type}, not ${asked.resource.type}`;
  if (!covers(valueSet(granted.resource.identifiers), valueSet(asked.resource.identifiers)))
    return "identifiers not covered";
  if (!covers(valueSet(granted.resource.attributes), valueSet(asked.resource.attributes)))
    return "attributes not covered";
  if (!covers(valueSet(granted.actions), valueSet(asked.actions))) return "actions not covered";
  const grantedProviders = granted.environment?.serviceProviders;
  if (grantedProviders !== undefined) {
    const askedProviders = asked.environment?.serviceProviders;
    if (askedProviders === undefined)
      return "the policy is limited to service providers the mask does not name";
    if (!covers(valueSet(grantedProviders), valueSet(askedProviders))) return "service providers not covered";
  }
  return undefined;
}

/** Does a Deny rule's target touch any part of the question? (Missing members restrict nothing: all.) */
function denyApplies(rule: RuleTarget | undefined, asked: PolicyTarget): boolean {
  if (rule === undefined) return true;
  const resource = rule.resource ?? {};
  return (
    typeMatches(resource.type, asked.resource.type) &&
    overlaps(valueSet(resource.identifiers), valueSet(asked.resource.identifiers)) &&
    overlaps(valueSet(resource.attributes), valueSet(asked.resource.attributes)) &&
    overlaps(valueSet(rule.actions), valueSet(asked.actions))
  );
}

/** One evidence policy's answer to one question: deny-overrides over its rules. */
function policyAnswer(policy: Policy, asked: PolicyTarget): { effect: Effect; reason: string } {
  const notCovered = coverageProblem(policy.target, asked);
  if (notCovered) return { effect: "Deny", reason: notCovered };
  const denyIndex = policy.rules.findIndex(
    (rule) => rule.effect === "Deny" && denyApplies(rule.target, asked),
  );
  if (denyIndex >= 0) return { effect: "Deny", reason: `rules[${denyIndex}] denies it` };
  const permits = policy.rules.some((rule) => rule.effect === "Permit");
  return permits ? { effect: "Permit", reason: "permitted" } : { effect: "Deny", reason: "no Permit rule" };
}

/** The `delegationRequest` of a mask, whether given whole or already unwrapped. */
export function requestOf(mask: DelegationMask | DelegationRequest): DelegationRequest {
  return "delegationRequest" in mask ? mask.delegationRequest : mask;
}

/**
 * Answers the mask's question from the evidence. Each mask policy is a question: it is permitted when some
 * evidence policy (in any policy set) covers its resource type, identifiers, attributes, actions and service
 * providers and none of that policy's Deny rules touches it. The whole answer is Permit only when every mask
 * policy is permitted and the evidence is about the mask's policyIssuer and accessSubject (and, with
 * `atS`, notBefore ≤ atS < notOnOrAfter).
 */
export function evaluate(
  evidence: DelegationEvidence,
  mask: DelegationMask | DelegationRequest,
  options: EvaluateOptions = {},
): Evaluation {
  const request = requestOf(mask);
  const reasons: string[] = [];
  if (evidence.policyIssuer !== request.policyIssuer)
    reasons.push(
      `the evidence is issued by ${evidence.policyIssuer}, the mask asks about ${request.policyIssuer}'s policies`,
    );
  if (evidence.target.accessSubject !== request.target.accessSubject)
    reasons.push(
      `the evidence is for ${evidence.target.accessSubject}, the mask asks about ${request.target.accessSubject}`,
    );
  if (options.atS !== undefined) {
    if (options.atS < evidence.notBefore)
      reasons.push(`the evidence is not valid before ${evidence.notBefore} (now ${options.atS})`);
    if (options.atS >= evidence.notOnOrAfter)
      reasons.push(`the evidence expired at ${evidence.notOnOrAfter} (now ${options.atS})`);
  }

  const policies: PolicyVerdict[] = [];
  for (const [setIndex, set] of request.policySets.entries()) {
    for (const [policyIndex, question] of set.policies.entries()) {
      const at = `policySets[${setIndex}].policies[${policyIndex}]`;
      const refusals: string[] = [];
      let verdict: PolicyVerdict | undefined;
      for (const [eSet, evidenceSet] of evidence.policySets.entries()) {
        for (const [ePolicy, policy] of evidenceSet.policies.entries()) {
          const answer = policyAnswer(policy, question.target);
          const where = `evidence policySets[${eSet}].policies[${ePolicy}]`;
          if (answer.effect === "Permit") {
            verdict ??= { at, effect: "Permit", reason: `${where} permits it` };
          } else refusals.push(`${where}: ${answer.reason}`);
        }
      }
      policies.push(
        verdict ?? {
          at,
          effect: "Deny",
          reason: refusals.length > 0 ? refusals.join("; ") : "the evidence holds no policies",
        },
      );
    }
  }
  if (policies.length === 0) reasons.push("the mask asks nothing (no policies)");
  const permitted = reasons.length === 0 && policies.every((policy) => policy.effect === "Permit");
  return { effect: permitted ? "Permit" : "Deny", reasons, policies };
}
