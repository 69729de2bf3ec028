/**
 * Checks of the OIDC (human-to-machine) flow: where the login flow ended (the harness's return endpoint with
 * code and the same state, or never there after an invalid request), id_token claims that the generic JWT
 * checks cannot express, and the delegation evidence of userinfo (iSHARE IdP authorize, token and userinfo
 * pages; OpenID Connect Core 1.0 §3.1.2.5, §3.1.3.7).
 */
import { type DelegationMask, evaluate, readEvidence } from "../delegation/index.ts";
import { RETURN_PATH } from "../model/oidc.ts";
import { type CheckContext, type CheckVerdict, defineCheck, fail, pass, show } from "./check.ts";
import { EVIDENCE_CLAIM } from "./delegation.ts";

const noParams = { type: "object", additionalProperties: false, properties: {} } as const;

function withFlow(
  context: CheckContext,
  body: (flow: NonNullable<NonNullable<CheckContext["oidc"]>["flow"]>, state: string) => CheckVerdict,
): CheckVerdict {
  const flow = context.oidc?.flow;
  if (!flow) return fail("expected a login flow in this step (flow: login), saw none");
  return body(flow, context.oidc!.state);
}

function hopsText(flow: NonNullable<NonNullable<CheckContext["oidc"]>["flow"]>): string {
  return flow.hops
    .map((hop) => `${hop.method} ${new URL(hop.url).pathname}${hop.status ? ` → ${hop.status}` : ""}`)
    .join(", ");
}

/** `oidc-reached-return`: after the login the IdP redirected to our redirect_uri with a code and the same state. */
export const oidcReachedReturn = defineCheck<Record<string, never>>({
  name: "oidc-reached-return",
  description: "The login flow ended at the redirect_uri with a code and the state that was sent.",
  params: noParams,
  run: (context) =>
    withFlow(context, (flow, state) => {
      if (!flow.returned)
        return fail(
          `expected a redirect to the redirect_uri with a code; the flow ended: ${flow.end} (${hopsText(flow)})`,
        );
      const { path, params } = flow.returned;
      if (path !== RETURN_PATH)
        return fail(`expected the redirect_uri path ${RETURN_PATH}, saw ${show(path)}`);
      if (!params["code"])
        return fail(`expected a code at the redirect_uri, saw parameters ${show(Object.keys(params))}`);
      if (params["state"] !== state)
        return fail(`expected state ${show(state)} back at the redirect_uri, saw ${show(params["state"])}`);
      return pass(`reached ${RETURN_PATH} with a code and the same state after ${flow.hops.length} hops`);
    }),
});

/** `oidc-never-reached-return`: an invalid request never sent the user to our redirect_uri (no open redirector). */
export const oidcNeverReachedReturn = defineCheck<Record<string, never>>({
  name: "oidc-never-reached-return",
  description: "The flow of an invalid authorization request never reached the harness's return endpoint.",
  params: noParams,
  run: (context) =>
    withFlow(context, (flow) => {
      if (!flow.returned) return pass(`never redirected to the redirect_uri (${flow.end})`);
      const keys = Object.keys(flow.returned.params);
      const how = keys.includes("code")
        ? "with a code: the invalid request was accepted"
        : "with an error: an open redirector";
      return fail(
        `expected the IdP's own error page, saw a redirect to the redirect_uri ${flow.returned.path} (${show(keys)}) ${how}`,
      );
    }),
});

/** `oidc-stopped-before-login`: an invalid request did not even show the login page. */
export const oidcStoppedBeforeLogin = defineCheck<Record<string, never>>({
  name: "oidc-stopped-before-login",
  description: "The IdP refused the authorization request before showing the login page.",
  params: noParams,
  run: (context) =>
    withFlow(context, (flow) =>
      flow.loginPage
        ? fail(`expected a refusal before the login page, saw the login page (${hopsText(flow)})`)
        : pass(`refused before the login page (${flow.end})`),
    ),
});

const fromSchema = (extra: Record<string, unknown>, required: string[]) => ({
  type: "object",
  additionalProperties: false,
  required: ["from", ...required],
  properties: { from: { type: "string", minLength: 1 }, ...extra },
});

function claimOf(
  context: CheckContext,
  from: string,
  claim: string,
): { where: string; value: unknown } | CheckVerdict {
  const jwt = context.jwt(from);
  if (!jwt.ok) return fail(`expected a signed JWT at ${jwt.where}: ${jwt.message}`);
  return { where: jwt.where, value: jwt.payload[claim] };
}

const isVerdict = (value: unknown): value is CheckVerdict =>
  typeof value === "object" && value !== null && "ok" in value && "message" in value;

/** `jwt-claim-one-of`: a claim is one of the listed values (acr among the eIDAS levels of assurance). */
export const jwtClaimOneOf = defineCheck<{ from: string; claim: string; values: string[] }>({
  name: "jwt-claim-one-of",
  description: "A JWT claim is one of the listed values.",
  params: fromSchema(
    {
      claim: { type: "string", minLength: 1 },
      values: { type: "array", minItems: 1, items: { type: "string" } },
    },
    ["claim", "values"],
  ),
  run: (context, { from, claim, values }) => {
    const found = claimOf(context, from, claim);
    if (isVerdict(found)) return found;
    return typeof found.value === "string" && values.includes(found.value)
      ? pass(`${claim} = ${show(found.value)}`)
      : fail(
          `expected ${claim} in ${found.where} to be one of ${show(values, 300)}, saw ${show(found.value)}`,
        );
  },
});

/** `jwt-claim-differs`: a claim differs from a value (another Service Provider's pseudonym). */
export const jwtClaimDiffers = defineCheck<{ from: string; claim: string; value: string }>({
  name: "jwt-claim-differs",
  description: "A JWT claim differs from the given (templated) value.",
  params: fromSchema({ claim: { type: "string", minLength: 1 }, value: { type: "string" } }, [
    "claim",
    "value",
  ]),
  run: (context, { from, claim, value }) => {
    const found = claimOf(context, from, claim);
    if (isVerdict(found)) return found;
    const other = context.render(value);
    if (found.value === undefined) return fail(`expected claim ${claim} in ${found.where}, saw it absent`);
    return found.value !== other
      ? pass(`${claim} differs from ${show(other)}`)
      : fail(`expected ${claim} in ${found.where} to differ from ${show(other)}, saw the same value`);
  },
});

/** `jwt-claim-equals-when-present`: an optional claim, when present, has the value (azp = client_id). */
export const jwtClaimEqualsWhenPresent = defineCheck<{ from: string; claim: string; value: string }>({
  name: "jwt-claim-equals-when-present",
  description: "An optional JWT claim, when present, equals the given (templated) value.",
  params: fromSchema({ claim: { type: "string", minLength: 1 }, value: { type: "string" } }, [
    "claim",
    "value",
  ]),
  run: (context, { from, claim, value }) => {
    const found = claimOf(context, from, claim);
    if (isVerdict(found)) return found;
    const expected = context.render(value);
    if (found.value === undefined) return pass(`no ${claim} (optional)`);
    return found.value === expected
      ? pass(`${claim} = ${show(expected)}`)
      : fail(
          `expected ${claim} in ${found.where} to be ${show(expected)} when present, saw ${show(found.value)}`,
        );
  },
});

/** `pseudonym-not-derived`: the sub names neither the login user name nor the Service Provider (unpredictable). */
export const pseudonymNotDerived = defineCheck<{ from: string }>({
  name: "pseudonym-not-derived",
  description: "The id_token's sub contains neither the test user's login name nor the client id.",
  params: fromSchema({}, []),
  run: (context, { from }) => {
    const found = claimOf(context, from, "sub");
    if (isVerdict(found)) return found;
    if (typeof found.value !== "string" || found.value === "")
      return fail(`expected a pseudonym as sub in ${found.where}, saw ${show(found.value)}`);
    const sub = found.value.toLowerCase();
    const username = context.target.oidc?.login.username.toLowerCase();
    const client = context.target.client.partyId.toLowerCase();
    if (username && sub.includes(username))
      return fail(
        `expected an unpredictable pseudonym, saw a sub that contains the login name ${show(username)}`,
      );
    if (sub.includes(client))
      return fail(
        `expected an unpredictable pseudonym, saw a sub that contains the client id ${show(client)}`,
      );
    return pass("sub contains neither the login name nor the client id");
  },
});

/**
 * `userinfo-evidence-effect-is`: the delegation evidence of a userinfo JWT, evaluated against the target's
 * userinfo mask (its accessSubject being the evidence's), says Permit or Deny as expected.
 */
export const userinfoEvidenceEffectIs = defineCheck<{
  from: string;
  mask: "permit" | "deny";
  effect: "Permit" | "Deny";
}>({
  name: "userinfo-evidence-effect-is",
  description:
    "The userinfo JWT's delegation evidence, evaluated against the userinfo mask, has the expected effect.",
  params: fromSchema({ mask: { enum: ["permit", "deny"] }, effect: { enum: ["Permit", "Deny"] } }, [
    "mask",
    "effect",
  ]),
  run: (context, { from, mask, effect }) => {
    const asked = context.target.oidc?.userinfoMasks?.[mask];
    if (!asked)
      return fail(`the target has no userinfo ${mask} mask (targets.yaml oidc.userinfo.${mask}Mask)`);
    const jwt = context.jwt(from);
    if (!jwt.ok) return fail(`expected a signed userinfo JWT at ${jwt.where}: ${jwt.message}`);
    const read = readEvidence(jwt.payload[EVIDENCE_CLAIM]);
    if (!read.ok)
      return fail(
        `expected well-formed ${EVIDENCE_CLAIM} in ${jwt.where}: ${read.problems.slice(0, 3).join("; ")}`,
      );
    const forSubject: DelegationMask = {
      ...asked,
      delegationRequest: {
        ...asked.delegationRequest,
        target: { accessSubject: read.value.target.accessSubject },
      },
    };
    const verdict = evaluate(read.value, forSubject, { atS: Math.floor(context.nowMs / 1000) });
    return verdict.effect === effect
      ? pass(`the evidence says ${effect} to the ${mask} mask`)
      : fail(
          `expected ${effect} for the userinfo ${mask} mask, saw ${verdict.effect}` +
            (verdict.reasons.length > 0 ? ` (${verdict.reasons.slice(0, 2).join("; ")})` : ""),
        );
  },
});
