/**
 * Does the evidence answer the question asked? An Authorisation Registry echoes the mask: the same policy
 * issuer and access subject, and each mask policy's target (resource type, identifiers, attributes, actions,
 * service providers) with the rule that answers it (spec digest §5.3, reference AR behaviour).
 */
import { requestOf } from "./evaluate.ts";
import type { DelegationEvidence, DelegationMask, DelegationRequest, Policy, PolicyTarget } from "./types.ts";

export interface EchoOptions {
  /** Also require each echoed policy to hold exactly one rule (the answer), as the reference AR does. */
  readonly singleRule?: boolean;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

/** True when two policy targets name the same resource, identifiers, attributes, actions and providers. */
export function sameTarget(a: PolicyTarget, b: PolicyTarget): boolean {
  return (
    a.resource.type === b.resource.type &&
    sameList(a.resource.identifiers, b.resource.identifiers) &&
    sameList(a.resource.attributes, b.resource.attributes) &&
    sameList(a.actions, b.actions) &&
    sameList(a.environment?.serviceProviders, b.environment?.serviceProviders)
  );
}

function describeTarget(target: PolicyTarget): string {
  const list = (values: readonly string[] | undefined) => (values ? `[${values.join(", ")}]` : "(all)");
  return (
    `type ${target.resource.type}, identifiers ${list(target.resource.identifiers)}, ` +
    `attributes ${list(target.resource.attributes)}, actions ${list(target.actions)}, ` +
    `serviceProviders ${list(target.environment?.serviceProviders)}`
  );
}

/**
 * What keeps the evidence from being an answer to the mask: a different policyIssuer or accessSubject, a
 * mask policy with no evidence policy of the same target, or (with `singleRule`) an echoed policy with more
 * or fewer than one rule. Empty when the evidence echoes the mask.
 */
export function echoProblems(
  evidence: DelegationEvidence,
  mask: DelegationMask | DelegationRequest,
  options: EchoOptions = {},
): string[] {
  const request = requestOf(mask);
  const problems: string[] = [];
  if (evidence.policyIssuer !== request.policyIssuer)
    problems.push(`policyIssuer is ${evidence.policyIssuer}, the mask's is ${request.policyIssuer}`);
  if (evidence.target.accessSubject !== request.target.accessSubject)
    problems.push(
      `target.accessSubject is ${evidence.target.accessSubject}, the mask's is ${request.target.accessSubject}`,
    );
  const evidencePolicies: Policy[] = evidence.policySets.flatMap((set) => [...set.policies]);
  for (const [setIndex, set] of request.policySets.entries()) {
    for (const [policyIndex, question] of set.policies.entries()) {
      const at = `mask policySets[${setIndex}].policies[${policyIndex}]`;
      const echoed = evidencePolicies.find((policy) => sameTarget(policy.target, question.target));
      if (!echoed) {
        problems.push(`${at} (${describeTarget(question.target)}) is not echoed by any evidence policy`);
      } else if (options.singleRule && echoed.rules.length !== 1) {
        problems.push(
          `the echo of ${at} has ${echoed.rules.length} rules, expected exactly one (the answer)`,
        );
      }
    }
  }
  return problems;
}
