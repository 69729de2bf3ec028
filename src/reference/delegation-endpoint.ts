/**
 * `POST /delegation`: the reference Authorisation Registry (spec digest §5). Answers a mask from its own
 * policy store with signed evidence that echoes each mask policy with the rule that answers it. The handler
 * is a list of small named steps; each names the faults that bend it, and no fault touches another step.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { delegationNames, previousStepsOf } from "../delegation/names.ts";
import type { DelegationEvidence, DelegationRequest, PolicySet } from "../delegation/types.ts";
import { readBearer } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import type { StoredPolicy } from "./delegation-policies.ts";
import { readDelegationRequest } from "./delegation-request.ts";
import type { FaultName } from "./faults.ts";
import { oauthError, sendJson } from "./http-io.ts";
import { decide } from "./policy-decision.ts";
import { previousStepProblem } from "./previous-steps.ts";
import { signResponseJwt } from "./response-jwt.ts";

/** Longest validity of the evidence the reference issues (seconds): short, since evidence is irrevocable. */
export const EVIDENCE_LIFETIME_S = 3600;

/** What the steps learn about one request as they go. */
interface DelegationState {
  readonly method: string;
  readonly authorization: string | undefined;
  readonly body: string;
  /** Party id of the bearer token's holder (the mask's access subject under the token faults). */
  requester?: string;
  json?: Record<string, unknown>;
  request?: DelegationRequest;
  stored?: StoredPolicy;
  /** Each mask policy's answer, in mask order. */
  effects?: Array<"Permit" | "Deny">;
  evidence?: DelegationEvidence;
}

/** A refusal: the response to send instead of evidence. */
interface Refusal {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One step of the endpoint; returns a refusal, or undefined to go on. */
export interface DelegationStep {
  readonly name: string;
  readonly rule: string;
  /** Faults that disable or bend this step. */
  readonly bentBy: readonly FaultName[];
  run(state: DelegationState, context: ReferenceContext): Refusal | undefined | Promise<Refusal | undefined>;
}

const invalid = (description: string): Refusal => ({
  status: 400,
  body: oauthError("invalid_request", description),
});

/** The steps, in the order the endpoint runs them. */
export const DELEGATION_STEPS: readonly DelegationStep[] = [
  {
    name: "method is POST",
    rule: "§5.1",
    bentBy: [],
    run: ({ method }) =>
      method === "POST"
        ? undefined
        : {
            status: 405,
            body: oauthError("invalid_request", `method ${method} is not allowed; use POST`),
            headers: { allow: "POST" },
          },
  },
  {
    name: "a valid access token of this party is presented",
    rule: "§5.1",
    bentBy: [
      "delegation.no-token-required",
      "delegation.skips-token-lookup",
      "delegation.accepts-expired-token",
    ],
    run(state, context) {
      const { faults } = context;
      const bearer = readBearer(state.authorization, context);
      if (bearer.kind === "valid") {
        state.requester = bearer.token.clientId;
        return undefined;
      }
      if (bearer.kind === "absent") {
        if (faults.has("delegation.no-token-required")) return undefined;
        return {
          status: 401,
          body: oauthError("invalid_token", "an access token is required (Authorization: Bearer)"),
          headers: { "www-authenticate": "Bearer" },
        };
      }
      if (bearer.status === 401) {
        if (faults.has("delegation.skips-token-lookup")) return undefined;
        if (bearer.reason === "expired" && faults.has("delegation.accepts-expired-token")) return undefined;
      }
      return { status: bearer.status, body: bearer.body, headers: bearer.headers };
    },
  },
  {
    name: "body is JSON",
    rule: "§5.1",
    bentBy: ["delegation.crashes-on-non-json"],
    run(state, context) {
      let value: unknown;
      try {
        value = JSON.parse(state.body);
      } catch {
        if (context.faults.has("delegation.crashes-on-non-json")) {
          return { status: 500, body: oauthError("server_error", "Unexpected character in JSON input") };
        }
        return invalid("the body is not JSON");
      }
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return invalid("the body is not a JSON object");
      state.json = value as Record<string, unknown>;
      return undefined;
    },
  },
  {
    name: "delegationRequest is a mask: issuer, subject, policies with a Permit rule",
    rule: "§5.2",
    bentBy: [
      "delegation.crashes-without-delegation-request",
      "delegation.defaults-access-subject",
      "delegation.empty-evidence-without-policy-sets",
      "delegation.accepts-policy-without-permit",
      "delegation.refuses-policy-context",
    ],
    run(state, context) {
      const { faults } = context;
      const inner = state.json?.["delegationRequest"];
      if (typeof inner !== "object" || inner === null || Array.isArray(inner)) {
        if (faults.has("delegation.crashes-without-delegation-request")) {
          return { status: 500, body: oauthError("server_error", "Object reference not set to an instance") };
        }
        return invalid("the body has no delegationRequest object");
      }
      const read = readDelegationRequest(inner as Record<string, unknown>, {
        ...(faults.has("delegation.defaults-access-subject") && state.requester
          ? { defaultAccessSubject: state.requester }
          : {}),
        allowMissingPolicySets: faults.has("delegation.empty-evidence-without-policy-sets"),
        allowPolicyWithoutPermit: faults.has("delegation.accepts-policy-without-permit"),
        refuseContext: faults.has("delegation.refuses-policy-context"),
      });
      if (!read.ok) return invalid(read.problem);
      state.request = read.request;
      // Under the token faults there is no token holder: answer as if the access subject had asked.
      state.requester ??= read.request.target.accessSubject;
      return undefined;
    },
  },
  {
    name: "the requester is issuer or subject, or forwards the subject's assertion in previous_steps",
    rule: "§2.5, §5.2",
    bentBy: [
      "delegation.no-requester-check",
      "delegation.ignores-previous-steps",
      "delegation.previous-steps-root-only",
      "delegation.previous-steps-nested-only",
      "delegation.previous-steps-ignore-aud",
      "delegation.previous-steps-skip-signature",
      "delegation.previous-steps-trusts-iss",
      "delegation.previous-steps-skip-chain",
      "delegation.previous-steps-skip-binding",
      "delegation.previous-steps-accept-expired",
    ],
    async run(state, context) {
      const { faults } = context;
      const request = state.request!;
      const requester = state.requester!;
      const subject = request.target.accessSubject;
      if (faults.has("delegation.no-requester-check")) return undefined;
      if (requester === request.policyIssuer || requester === subject) return undefined;
      // The placement its version documents; the placement faults read only the other one.
      const placement = faults.has("delegation.previous-steps-root-only")
        ? "root"
        : faults.has("delegation.previous-steps-nested-only")
          ? "delegationRequest"
          : undefined;
      const steps = faults.has("delegation.ignores-previous-steps")
        ? undefined
        : previousStepsOf(state.json, context.version, placement);
      const name = delegationNames(context.version).previousSteps;
      if (!Array.isArray(steps) || steps.length === 0) {
        return {
          status: 403,
          body: oauthError(
            "access_denied",
            `${requester} is neither policyIssuer nor accessSubject and forwards no ${name} from ${subject}`,
          ),
        };
      }
      for (const [index, step] of steps.entries()) {
        const problem = await previousStepProblem(step, { subject, requester }, context);
        if (problem) {
          return {
            status: 400,
            body: oauthError("previous_steps_validation_error", `${name}[${index}] ${problem}`),
          };
        }
      }
      return undefined;
    },
  },
  {
    name: "a policy exists for the pair (policyIssuer, accessSubject)",
    rule: "§5.1",
    bentBy: [],
    run(state, context) {
      const { policyIssuer, target } = state.request!;
      const stored = context.policies.find(policyIssuer, target.accessSubject);
      if (!stored) {
        return {
          status: 404,
          body: oauthError("not_found", `no policy of ${policyIssuer} for ${target.accessSubject}`),
        };
      }
      state.stored = stored;
      return undefined;
    },
  },
  {
    name: "each mask policy is answered: permit-overrides across policies, deny-overrides within",
    rule: "§5.3",
    bentBy: ["delegation.ignores-deny-rules", "delegation.not-found-for-deny"],
    run(state, context) {
      const stored = state.stored!;
      const nowS = Math.floor(context.now() / 1000);
      let policySets: readonly PolicySet[] = stored.policySets;
      if (context.faults.has("delegation.ignores-deny-rules")) {
        policySets = policySets.map((set) => ({
          ...set,
          policies: set.policies.map((policy) => ({
            ...policy,
            rules: policy.rules.filter((rule) => rule.effect === "Permit"),
          })),
        }));
      }
      // The pair was looked up by (policyIssuer, accessSubject), so only the questions and the time decide.
      state.effects = decide({ ...stored, policySets }, state.request!.policySets, nowS);
      if (context.faults.has("delegation.not-found-for-deny") && state.effects.includes("Deny")) {
        return { status: 404, body: oauthError("not_found", "no permitting policy") };
      }
      return undefined;
    },
  },
  {
    name: "the evidence echoes the mask with its answers, valid now, with licenses",
    rule: "§5.3",
    bentBy: [
      "delegation.wrong-policy-issuer",
      "delegation.drops-service-providers",
      "delegation.evidence-expired",
      "delegation.no-licenses",
    ],
    run(state, context) {
      const { faults } = context;
      const request = state.request!;
      const stored = state.stored!;
      const iat = Math.floor(context.now() / 1000);
      const effects = [...state.effects!];
      const licenses = stored.policySets[0]?.target?.environment?.licenses ?? [];
      const notOnOrAfter = Math.min(iat + EVIDENCE_LIFETIME_S, stored.notOnOrAfter);
      state.evidence = {
        notBefore: faults.has("delegation.evidence-expired") ? iat - 2 * EVIDENCE_LIFETIME_S : iat,
        notOnOrAfter: faults.has("delegation.evidence-expired") ? iat - EVIDENCE_LIFETIME_S : notOnOrAfter,
        policyIssuer: faults.has("delegation.wrong-policy-issuer")
          ? context.self.partyId
          : request.policyIssuer,
        target: { accessSubject: request.target.accessSubject },
        policySets: request.policySets.map((set) => ({
          maxDelegationDepth: stored.policySets[0]?.maxDelegationDepth ?? 0,
          ...(faults.has("delegation.no-licenses")
            ? {}
            : { target: { environment: { licenses: [...licenses] } } }),
          policies: set.policies.map((policy) => {
            const { environment, ...rest } = policy.target;
            const target =
              faults.has("delegation.drops-service-providers") || !environment ? rest : policy.target;
            return { target, rules: [{ effect: effects.shift() ?? "Deny" }] };
          }),
        })),
      };
      return undefined;
    },
  },
];

/** Signing and sending the evidence (spec digest §5.1); only these faults bend it. */
export const DELEGATION_RESPONSE_STEP = {
  name: "delegation_token: an iSHARE JWT of this party, sub the access subject, aud the requester",
  rule: "§2.2, §5.1",
  bentBy: ["delegation.token-leaf-only-x5c", "delegation.aud-is-access-subject"],
} as const satisfies { name: string; rule: string; bentBy: readonly FaultName[] };

/** Every step of the delegation endpoint with the faults that bend it (for docs and self-tests). */
export const DELEGATION_ENDPOINT_STEPS: ReadonlyArray<{
  readonly name: string;
  readonly rule: string;
  readonly bentBy: readonly FaultName[];
}> = [...DELEGATION_STEPS, DELEGATION_RESPONSE_STEP].map(({ name, rule, bentBy }) => ({
  name,
  rule,
  bentBy,
}));

/** Handles one request to the delegation endpoint; `body` is the request body already read. */
export async function handleDelegationRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  context: ReferenceContext,
): Promise<void> {
  const state: DelegationState = { method: req.method ?? "", authorization: req.headers.authorization, body };
  for (const step of DELEGATION_STEPS) {
    const refusal = await step.run(state, context);
    if (refusal) {
      sendJson(res, refusal.status, refusal.body, refusal.headers ? { headers: refusal.headers } : {});
      return;
    }
  }
  const { faults } = context;
  const evidence = state.evidence!;
  const subject = evidence.target.accessSubject;
  const token = await signResponseJwt(
    context,
    { sub: subject, delegationEvidence: evidence },
    faults.has("delegation.aud-is-access-subject") ? subject : state.requester,
    faults.has("delegation.token-leaf-only-x5c") ? { chain: context.self.chain.slice(0, 1) } : {},
  );
  sendJson(res, 200, { [delegationNames(context.version).token]: token });
}
