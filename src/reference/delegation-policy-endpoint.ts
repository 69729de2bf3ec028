/**
 * `POST /delegationPolicy` (iSHARE 2.1+, an optional Authorisation Registry endpoint): a party asks the
 * reference AR to create a policy of an Entitled Party, with a signed Policy Creation Request Token
 * (`{"delegationPolicyRequestToken": JWT}`, iSHARE OpenAPI `delegationPolicyCreationRequest`). The request is
 * evaluated against the Entitled Party's authorisation rules and the policy created (200) or refused (403);
 * 401 for a missing, unknown or expired access token. Like the delegation endpoint, the handler is a list of
 * small named steps, each naming the faults that bend it. The token is judged by the reference's own JWT
 * checks (previous-steps.ts: certificate-judge.ts, jws-signature.ts), never by the harness's.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBearer } from "./bearer.ts";
import type { ReferenceContext } from "./context.ts";
import type { AuthorisationRule } from "./delegation-policies.ts";
import type { FaultName } from "./faults.ts";
import { NO_STORE_HEADERS, oauthError, sendJson } from "./http-io.ts";
import { type JwtBends, previousStepProblem } from "./previous-steps.ts";

/** What the steps learn about one request as they go. */
interface PolicyState {
  readonly method: string;
  readonly authorization: string | undefined;
  readonly body: string;
  /** Party id of the access token's holder (absent only under `policy.no-token-required`). */
  requester?: string;
  token?: string;
  request?: PolicyRequest;
}

/** The members of a `delegationPolicyRequest` the reference evaluates. */
interface PolicyRequest {
  readonly policyIssuer: string;
  readonly accessSubject: string;
  readonly policies: ReadonlyArray<{ readonly type: unknown; readonly actions: unknown }>;
  readonly raw: Record<string, unknown>;
}

/** A refusal: status, a short title and what went wrong; extra headers (WWW-Authenticate). */
interface Refusal {
  readonly status: number;
  readonly error: string;
  readonly detail: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One step of the endpoint; returns a refusal, or undefined to go on. */
export interface PolicyStep {
  readonly name: string;
  readonly rule: string;
  /** Faults that disable or bend this step. */
  readonly bentBy: readonly FaultName[];
  run(state: PolicyState, context: ReferenceContext): Refusal | undefined | Promise<Refusal | undefined>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (detail: string): Refusal => ({ status: 400, error: "invalid_request", detail });

/** Reads the members the rules evaluation needs; a problem string when they are missing. */
function readPolicyRequest(value: unknown): PolicyRequest | string {
  if (!isObject(value)) return "the token has no delegationPolicyRequest object";
  const target = value["target"];
  if (typeof value["policyIssuer"] !== "string") return "delegationPolicyRequest.policyIssuer is missing";
  if (!isObject(target) || typeof target["accessSubject"] !== "string")
    return "delegationPolicyRequest.target.accessSubject is missing";
  const sets = value["policySets"];
  if (!Array.isArray(sets) || sets.length === 0) return "delegationPolicyRequest.policySets is missing";
  const policies: Array<{ type: unknown; actions: unknown }> = [];
  for (const set of sets) {
    if (!isObject(set) || !Array.isArray(set["policies"]) || set["policies"].length === 0)
      return "every policy set needs policies";
    for (const policy of set["policies"]) {
      const policyTarget = isObject(policy) ? policy["target"] : undefined;
      const resource = isObject(policyTarget) ? policyTarget["resource"] : undefined;
      if (!isObject(policyTarget) || !isObject(resource)) return "every policy needs target.resource";
      policies.push({ type: resource["type"], actions: policyTarget["actions"] });
    }
  }
  return {
    policyIssuer: value["policyIssuer"],
    accessSubject: target["accessSubject"],
    policies,
    raw: value,
  };
}

/** Whether `rule` lets `requester` have `request` created. */
function allows(rule: AuthorisationRule, requester: string, request: PolicyRequest): boolean {
  return (
    rule.policyIssuer === request.policyIssuer &&
    rule.requestors.includes(requester) &&
    request.accessSubject === requester &&
    request.policies.every(
      (policy) =>
        typeof policy.type === "string" &&
        rule.resourceTypes.includes(policy.type) &&
        Array.isArray(policy.actions) &&
        policy.actions.length > 0 &&
        policy.actions.every((action) => typeof action === "string" && rule.actions.includes(action)),
    )
  );
}

/** The steps, in the order the endpoint runs them. */
export const POLICY_STEPS: readonly PolicyStep[] = [
  {
    name: "method is POST",
    rule: "OpenAPI /delegationPolicy",
    bentBy: [],
    run: ({ method }) =>
      method === "POST"
        ? undefined
        : {
            status: 405,
            error: "invalid_request",
            detail: `method ${method} is not allowed; use POST`,
            headers: { allow: "POST" },
          },
  },
  {
    name: "a valid access token of this party is presented",
    rule: "OpenAPI /delegationPolicy 401",
    bentBy: ["policy.no-token-required", "policy.skips-token-lookup"],
    run(state, context) {
      const { faults } = context;
      const bearer = readBearer(state.authorization, context);
      if (bearer.kind === "valid") {
        state.requester = bearer.token.clientId;
        return undefined;
      }
      if (bearer.kind === "absent") {
        if (faults.has("policy.no-token-required")) return undefined;
        return {
          status: 401,
          error: "invalid_token",
          detail: "an access token is required (Authorization: Bearer)",
          headers: { "www-authenticate": "Bearer" },
        };
      }
      if (bearer.status === 401 && faults.has("policy.skips-token-lookup")) return undefined;
      return {
        status: bearer.status,
        error: bearer.body.error,
        detail: bearer.body.error_description,
        headers: bearer.headers,
      };
    },
  },
  {
    name: "the body is a JSON object with a delegationPolicyRequestToken",
    rule: "OpenAPI delegationPolicyCreationRequest",
    bentBy: ["policy.crashes-without-request-token"],
    run(state, context) {
      let value: unknown;
      try {
        value = JSON.parse(state.body);
      } catch {
        return invalid("the body is not JSON");
      }
      const token = isObject(value) ? value["delegationPolicyRequestToken"] : undefined;
      if (typeof token !== "string") {
        if (context.faults.has("policy.crashes-without-request-token")) {
          return { status: 500, error: "server_error", detail: "Cannot read properties of undefined" };
        }
        return invalid("the body has no delegationPolicyRequestToken (a JWT)");
      }
      state.token = token;
      return undefined;
    },
  },
  {
    name: "the token is an iSHARE JWT of the requester for this party (chain, signature, 30 s, registered)",
    rule: "iSHARE JWT; Authentication — Certificate Validation",
    bentBy: ["policy.token-skip-signature", "policy.token-accepts-expired", "policy.token-skip-chain"],
    async run(state, context) {
      const { faults } = context;
      // Under policy.no-token-required there is no token holder: judge the token as its iss's.
      const claimed = /^[^.]*\.([^.]*)\./.exec(state.token!)?.[1];
      let iss: unknown;
      try {
        iss = claimed ? JSON.parse(Buffer.from(claimed, "base64url").toString("utf8"))?.iss : undefined;
      } catch {
        iss = undefined;
      }
      state.requester ??= typeof iss === "string" ? iss : "";
      const bends: JwtBends = {
        skipChain: faults.has("policy.token-skip-chain"),
        skipSignature: faults.has("policy.token-skip-signature"),
        trustsIss: false,
        ignoreAud: false,
        acceptExpired: faults.has("policy.token-accepts-expired"),
        skipBinding: false,
      };
      const problem = await previousStepProblem(
        state.token,
        { subject: state.requester, requester: context.self.partyId },
        context,
        bends,
      );
      return problem ? invalid(`delegationPolicyRequestToken ${problem}`) : undefined;
    },
  },
  {
    name: "the token carries a delegationPolicyRequest: policyIssuer, target.accessSubject, policySets",
    rule: "OpenAPI jwtPayloadDelegationPolicyRequestToken",
    bentBy: [],
    run(state) {
      const payload = JSON.parse(
        Buffer.from(state.token!.split(".")[1] ?? "", "base64url").toString("utf8"),
      ) as Record<string, unknown>;
      const read = readPolicyRequest(payload["delegationPolicyRequest"]);
      if (typeof read === "string") return invalid(read);
      state.request = read;
      return undefined;
    },
  },
  {
    name: "the Entitled Party's authorisation rules allow the requested policy (else 403)",
    rule: "OpenAPI /delegationPolicy 403; Reference — Authorisation rules",
    bentBy: ["policy.skips-rules"],
    run(state, context) {
      const request = state.request!;
      const requester = state.requester!;
      if (context.faults.has("policy.skips-rules")) return undefined;
      // The Entitled Party itself may have any policy of its own created.
      if (requester === request.policyIssuer) return undefined;
      if (context.authorisationRules.some((rule) => allows(rule, requester, request))) return undefined;
      return {
        status: 403,
        error: "access_denied",
        detail: `the requested policy does not comply with the authorisation rules of ${request.policyIssuer} for ${requester}`,
      };
    },
  },
];

/** The body of a refusal: RFC 9457 problem details from iSHARE 3.0 (OpenAPI 3.0 responses), else an OAuth error. */
function sendRefusal(res: ServerResponse, refusal: Refusal, context: ReferenceContext): void {
  const headers = refusal.headers ?? {};
  if (context.version === "3.0") {
    sendJson(
      res,
      refusal.status,
      { type: "about:blank", title: refusal.error, status: refusal.status, detail: refusal.detail },
      { headers: { ...headers, "content-type": "application/problem+json" } },
    );
    return;
  }
  sendJson(res, refusal.status, oauthError(refusal.error, refusal.detail), { headers });
}

/** Handles one request to `/delegationPolicy`; `body` is the request body already read. */
export async function handleDelegationPolicyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  context: ReferenceContext,
): Promise<void> {
  const state: PolicyState = { method: req.method ?? "", authorization: req.headers.authorization, body };
  for (const step of POLICY_STEPS) {
    const refusal = await step.run(state, context);
    if (refusal) {
      sendRefusal(res, refusal, context);
      return;
    }
  }
  // Created: kept apart from the store /delegation answers from (see README, "The reference target").
  context.createdPolicies.push({ requester: state.requester!, request: state.request!.raw });
  res.writeHead(200, { ...NO_STORE_HEADERS, "content-length": "0" });
  res.end();
}
