/** Validating a client assertion end to end: parse, run the steps, then claim its jti (spec digest §2, §3.3). */
import {
  ASSERTION_LIFETIME_S,
  ASSERTION_STEPS,
  type AssertionState,
  acceptedAlgorithms,
} from "./assertion-steps.ts";
import { parseCompactJws } from "./compact-jws.ts";
import { CLOCK_SKEW_S, type ReferenceContext } from "./context.ts";
import type { FaultName } from "./faults.ts";

/** Parsing the assertion, the first assertion step; only `token.accepts-unparsable-assertion` bends it. */
export const PARSE_STEP = {
  name: "client_assertion is a compact JWS",
  rule: "§2.1, §3.3",
  bentBy: ["token.accepts-unparsable-assertion"],
} as const satisfies { name: string; rule: string; bentBy: readonly FaultName[] };

/** The verdict on a client assertion. */
export type AssertionVerdict =
  | { readonly ok: true; readonly clientId: string }
  | { readonly ok: false; readonly step: string; readonly reason: string };

/**
 * Validates `assertion` for a token request whose client id is `clientId` (undefined when the
 * `token.client-id-optional` fault lets the assertion's iss supply it). Steps run in order; the first
 * failure decides. On success the jti is claimed atomically, so a concurrent replay still fails.
 */
export async function validateClientAssertion(
  assertion: string,
  clientId: string | undefined,
  context: ReferenceContext,
): Promise<AssertionVerdict> {
  const { faults } = context;
  const jws = parseCompactJws(assertion);
  if (typeof jws === "string") {
    if (faults.has("token.accepts-unparsable-assertion") && clientId !== undefined)
      return { ok: true, clientId };
    return {
      ok: false,
      step: "client_assertion is a compact JWS",
      reason: `client_assertion is not a JWT: ${jws}`,
    };
  }
  const iss = jws.payload["iss"];
  const effectiveClientId = clientId ?? (typeof iss === "string" ? iss : undefined);
  if (effectiveClientId === undefined) {
    return {
      ok: false,
      step: "client_id present",
      reason: "client_id is missing and the assertion has no iss",
    };
  }
  const nowMs = context.now();
  const state: AssertionState = { jws, clientId: effectiveClientId, nowS: nowMs / 1000, times: {} };
  const env = { context, algorithms: acceptedAlgorithms(context.version, faults) };
  for (const step of ASSERTION_STEPS) {
    const reason = await step.run(state, env);
    if (reason !== undefined) return { ok: false, step: step.name, reason };
  }
  const jti = jws.payload["jti"];
  if (typeof jti === "string" && !faults.has("token.no-replay-protection")) {
    const { iat, exp } = state.times;
    const untilS = exp ?? (iat ?? Math.floor(state.nowS)) + ASSERTION_LIFETIME_S;
    if (!context.replay.tryRemember(jti, (untilS + CLOCK_SKEW_S) * 1000, nowMs)) {
      return { ok: false, step: "jti was not used before", reason: `jti ${jti} was already used` };
    }
  }
  return { ok: true, clientId: effectiveClientId };
}
