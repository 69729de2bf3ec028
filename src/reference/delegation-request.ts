/**
 * Reading a delegation request body into a typed mask (spec digest §5.2), one named check at a time, each
 * naming what is wrong for the 400 answer. Unknown members are ignored (receivers SHOULD ignore them).
 */
import type { DelegationRequest, Policy, PolicySet, Rule } from "../delegation/index.ts";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isPartyId = (value: unknown): value is string => typeof value === "string" && /^\S+$/.test(value);
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** How the request is read; the delegation faults each relax one part. */
export interface ReadOptions {
  /** With no accessSubject, take this party (the requester) instead of refusing. */
  readonly defaultAccessSubject?: string;
  /** Take a missing policySets as an empty list instead of refusing. */
  readonly allowMissingPolicySets?: boolean;
  /** Do not require a Permit rule in each policy. */
  readonly allowPolicyWithoutPermit?: boolean;
  /** Refuse a policy whose target carries a context (the 2.x mask model; 3.0 allows it). */
  readonly refuseContext?: boolean;
}

/** The typed request, or what is wrong with it. */
export type RequestRead =
  | { readonly ok: true; readonly request: DelegationRequest }
  | { readonly ok: false; readonly problem: string };

function optionalStrings(value: unknown, at: string): string | undefined {
  return value === undefined || isStrings(value) ? undefined : `${at} must be an array of strings`;
}

function readPolicy(value: unknown, at: string, options: ReadOptions): Policy | string {
  if (!isObject(value)) return `${at} must be an object`;
  const target = value["target"];
  if (!isObject(target)) return `${at}.target must be an object`;
  const resource = target["resource"];
  if (!isObject(resource) || typeof resource["type"] !== "string" || resource["type"] === "")
    return `${at}.target.resource.type must be a string`;
  const problem =
    optionalStrings(resource["identifiers"], `${at}.target.resource.identifiers`) ??
    optionalStrings(resource["attributes"], `${at}.target.resource.attributes`);
  if (problem) return problem;
  if (!isStrings(target["actions"]) || target["actions"].length === 0)
    return `${at}.target.actions must be a non-empty array of strings`;
  const environment = target["environment"];
  if (environment !== undefined) {
    if (!isObject(environment)) return `${at}.target.environment must be an object`;
    const providers = optionalStrings(
      environment["serviceProviders"],
      `${at}.target.environment.serviceProviders`,
    );
    if (providers) return providers;
  }
  if (options.refuseContext && target["context"] !== undefined)
    return `${at}.target.context is not a member of a policy target`;
  const rules = value["rules"];
  if (
    !Array.isArray(rules) ||
    !rules.every((rule) => isObject(rule) && (rule["effect"] === "Permit" || rule["effect"] === "Deny"))
  )
    return `${at}.rules must be an array of rules with effect Permit or Deny`;
  if (!options.allowPolicyWithoutPermit && !rules.some((rule) => (rule as Json)["effect"] === "Permit"))
    return `${at} does not contain a rule with the Effect 'Permit'`;
  return { target: target as unknown as Policy["target"], rules: rules as Rule[] };
}

/**
 * Reads `body.delegationRequest`: policyIssuer and target.accessSubject party ids, policySets a non-empty
 * array whose policies name a resource type, actions and a Permit rule.
 */
export function readDelegationRequest(inner: Json, options: ReadOptions = {}): RequestRead {
  const refuse = (problem: string): RequestRead => ({ ok: false, problem });
  if (!isPartyId(inner["policyIssuer"])) return refuse("delegationRequest.policyIssuer must be a party id");
  const target = inner["target"];
  if (!isObject(target)) return refuse("delegationRequest.target must be an object");
  let accessSubject = target["accessSubject"];
  if (accessSubject === undefined && options.defaultAccessSubject !== undefined)
    accessSubject = options.defaultAccessSubject;
  if (!isPartyId(accessSubject)) return refuse("delegationRequest.target.accessSubject must be a party id");

  let rawSets = inner["policySets"];
  if (rawSets === undefined && options.allowMissingPolicySets) rawSets = [];
  else if (!Array.isArray(rawSets) || rawSets.length === 0)
    return refuse("delegationRequest.policySets must be a non-empty array");
  const policySets: PolicySet[] = [];
  for (const [setIndex, set] of (rawSets as unknown[]).entries()) {
    const at = `delegationRequest.policySets[${setIndex}]`;
    if (!isObject(set) || !Array.isArray(set["policies"]) || set["policies"].length === 0)
      return refuse(`${at}.policies must be a non-empty array`);
    const policies: Policy[] = [];
    for (const [policyIndex, value] of set["policies"].entries()) {
      const policy = readPolicy(value, `${at}.policies[${policyIndex}]`, options);
      if (typeof policy === "string") return refuse(policy);
      policies.push(policy);
    }
    policySets.push({ policies });
  }
  return {
    ok: true,
    request: { policyIssuer: inner["policyIssuer"], target: { accessSubject }, policySets },
  };
}
