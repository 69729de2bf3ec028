/**
 * Checks on delegation evidence (spec digest §5.3): the `delegationEvidence` member of the signed token at
 * `from` is well formed, answers the mask that was asked (issuer, subject, each policy echoed), says Permit or
 * Deny as the evaluator reads it, is valid now and names licenses. `mask` names one of the target's masks.
 */
import {
  type DelegationEvidence,
  type DelegationMask,
  echoProblems,
  evaluate,
  readEvidence,
} from "../delegation/index.ts";
import { MASK_NAMES, type MaskName } from "../model/target.ts";
import { type CheckContext, type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { CLOCK_SKEW_SECONDS } from "./jwt.ts";

/** The payload member of a delegation token that holds the evidence. */
export const EVIDENCE_CLAIM = "delegationEvidence";

const schema = (extra: Record<string, unknown> = {}, required: string[] = []) => ({
  type: "object",
  additionalProperties: false,
  required: ["from", ...required],
  properties: { from: { type: "string", minLength: 1 }, ...extra },
});
const maskParam = { mask: { enum: [...MASK_NAMES] } };

/** Runs `body` on the evidence in the JWT at `from`, or fails saying why there is no evidence to judge. */
function withEvidence(
  context: CheckContext,
  from: string,
  body: (evidence: DelegationEvidence, where: string) => CheckVerdict,
): CheckVerdict {
  const jwt = context.jwt(from);
  if (!jwt.ok) return fail(`expected a delegation token at ${jwt.where}: ${jwt.message}`);
  const where = `${jwt.where} ${EVIDENCE_CLAIM}`;
  const value = jwt.payload[EVIDENCE_CLAIM];
  if (value === undefined) return fail(`expected claim ${EVIDENCE_CLAIM} in ${jwt.where}, saw it absent`);
  const read = readEvidence(value);
  if (!read.ok) return fail(`expected well-formed ${where}: ${read.problems.slice(0, 4).join("; ")}`);
  return body(read.value, where);
}

/** The target's mask of that name, or the failure that says it is not configured. */
function maskOf(context: CheckContext, name: MaskName): DelegationMask | CheckVerdict {
  const mask = context.target.delegation?.masks[name];
  return (
    mask ??
    fail(
      `the target has no ${name} mask: set targets.${context.target.name}.delegation.${name}Mask in ${context.target.source}`,
    )
  );
}

const isVerdict = (value: DelegationMask | CheckVerdict): value is CheckVerdict => "ok" in value;

/** Evaluates the evidence at `from` against `asked` and compares the effect. */
function effectVerdict(
  context: CheckContext,
  from: string,
  name: MaskName,
  asked: DelegationMask,
  effect: "Permit" | "Deny",
): CheckVerdict {
  return withEvidence(context, from, (evidence, where) => {
    const result = evaluate(evidence, asked);
    if (result.effect === effect) return pass(`${where} says ${effect} to the ${name} mask`);
    const why = [...result.reasons, ...result.policies.map((p) => `${p.at}: ${p.reason}`)].join("; ");
    return fail(`expected ${where} to say ${effect} to the ${name} mask, it says ${result.effect} (${why})`);
  });
}

/** `delegation-evidence-valid`: the token carries a delegationEvidence of the documented shape. */
export const delegationEvidenceValid = defineCheck<{ from: string }>({
  name: "delegation-evidence-valid",
  description:
    "The delegation token carries delegationEvidence with notBefore, notOnOrAfter, policyIssuer, target.accessSubject and policySets.",
  params: schema(),
  run: (context, { from }) =>
    withEvidence(context, from, (evidence) =>
      pass(`evidence of ${evidence.policyIssuer} for ${evidence.target.accessSubject}`),
    ),
});

/** `delegation-evidence-matches-mask`: the evidence answers the question: same issuer, subject, each policy echoed. */
export const delegationEvidenceMatchesMask = defineCheck<{
  from: string;
  mask: MaskName;
  singleRule?: boolean;
}>({
  name: "delegation-evidence-matches-mask",
  description:
    "The evidence has the mask's policyIssuer and accessSubject and echoes each mask policy (resource type, identifiers, attributes, actions, service providers); with singleRule, each echo holds one rule.",
  params: schema({ ...maskParam, singleRule: { type: "boolean" } }, ["mask"]),
  run: (context, { from, mask, singleRule }) => {
    const asked = maskOf(context, mask);
    if (isVerdict(asked)) return asked;
    return withEvidence(context, from, (evidence, where) => {
      const problems = echoProblems(evidence, asked, { singleRule: singleRule ?? false });
      return problems.length === 0
        ? pass(`${where} echoes the ${mask} mask`)
        : fail(`expected ${where} to answer the ${mask} mask: ${problems.join("; ")}`);
    });
  },
});

/** `delegation-evidence-effect-is`: evaluating the evidence against the mask gives Permit (or Deny). */
export const delegationEvidenceEffectIs = defineCheck<{
  from: string;
  mask: MaskName;
  effect: "Permit" | "Deny";
}>({
  name: "delegation-evidence-effect-is",
  description:
    "Evaluated against the mask (permit-overrides across policies, deny-overrides within a policy), the evidence says Permit or Deny as expected.",
  params: schema({ ...maskParam, effect: { enum: ["Permit", "Deny"] } }, ["mask", "effect"]),
  run: (context, { from, mask, effect }) => {
    const asked = maskOf(context, mask);
    return isVerdict(asked) ? asked : effectVerdict(context, from, mask, asked, effect);
  },
});

/** `delegation-evidence-time-valid`: notBefore ≤ now < notOnOrAfter (a few seconds of skew tolerated). */
export const delegationEvidenceTimeValid = defineCheck<{ from: string }>({
  name: "delegation-evidence-time-valid",
  description: "The evidence is valid now: notBefore ≤ now < notOnOrAfter.",
  params: schema(),
  run: (context, { from }) =>
    withEvidence(context, from, (evidence, where) => {
      const now = Math.floor(context.nowMs / 1000);
      const { notBefore, notOnOrAfter } = evidence;
      if (notBefore > 100_000_000_000 || notOnOrAfter > 100_000_000_000)
        return fail(
          `expected notBefore and notOnOrAfter in seconds in ${where}, saw ${notBefore}, ${notOnOrAfter}`,
        );
      if (notBefore > now + CLOCK_SKEW_SECONDS)
        return fail(`expected ${where} valid now, saw notBefore ${notBefore} > now ${now}`);
      if (notOnOrAfter <= now - CLOCK_SKEW_SECONDS)
        return fail(`expected ${where} valid now, saw notOnOrAfter ${notOnOrAfter} <= now ${now}`);
      return pass(`valid now (notBefore ${notBefore}, notOnOrAfter ${notOnOrAfter})`);
    }),
});

/** `delegation-evidence-licenses-present`: every policy set names its licenses (target.environment.licenses). */
export const delegationEvidenceLicensesPresent = defineCheck<{ from: string }>({
  name: "delegation-evidence-licenses-present",
  description: "Every policy set of the evidence lists at least one license in target.environment.licenses.",
  params: schema(),
  run: (context, { from }) =>
    withEvidence(context, from, (evidence, where) => {
      const missing = evidence.policySets
        .map((set, index) => ({ index, licenses: set.target?.environment?.licenses }))
        .filter(({ licenses }) => !licenses || licenses.length === 0)
        .map(({ index, licenses }) => `policySets[${index}] ${show(licenses)}`);
      return missing.length === 0
        ? pass("licenses present")
        : fail(
            `expected target.environment.licenses in each policy set of ${where}, saw ${missing.join(", ")}`,
          );
    }),
});

/**
 * `delegation-denied`: the answer to the mask is "no": 200 with evidence that answers the mask (its issuer,
 * subject and policies) and says Deny, or 404 where the target is configured for that variant
 * (`delegation.denyAnswer`: deny, not-found or either).
 */
export const delegationDenied = defineCheck<{ from: string; mask: MaskName }>({
  name: "delegation-denied",
  description:
    "The target says no to the mask: 200 with evidence that echoes the mask and says Deny, or 404 where delegation.denyAnswer allows it.",
  params: schema(maskParam, ["mask"]),
  run: (context, { from, mask }) => {
    const asked = maskOf(context, mask);
    if (isVerdict(asked)) return asked;
    const allowed = context.target.delegation?.denyAnswer ?? "deny";
    const { status } = context.response;
    if (status === 404) {
      return allowed === "deny"
        ? fail(
            `expected 200 with Deny evidence for the ${mask} mask, saw 404 (set delegation.denyAnswer: not-found or either if this target answers 404 by design)`,
          )
        : pass("404: no policy for the pair");
    }
    if (allowed === "not-found") return fail(`expected 404 for the ${mask} mask, saw ${status}`);
    if (status !== 200) return fail(`expected 200 with Deny evidence for the ${mask} mask, saw ${status}`);
    // A denial must answer the question asked: evidence about another one denies nothing.
    const echo = withEvidence(context, from, (evidence, where) => {
      const problems = echoProblems(evidence, asked);
      return problems.length === 0
        ? pass("echoes the mask")
        : fail(`expected ${where} to answer the ${mask} mask: ${problems.join("; ")}`);
    });
    return echo.ok ? effectVerdict(context, from, mask, asked, "Deny") : echo;
  },
});
