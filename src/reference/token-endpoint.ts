/** `POST /connect/token`: the M2M access token endpoint of the reference target (spec digest §3). */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ASSERTION_STEPS } from "./assertion-steps.ts";
import { answerWithChaos, transportChaos } from "./chaos-transport.ts";
import { PARSE_STEP, validateClientAssertion } from "./client-assertion.ts";
import { ENDPOINT_PATHS, otherHostCanaryUrl, type ReferenceContext } from "./context.ts";
import type { FaultName, FaultSet } from "./faults.ts";
import { oauthError, sendJson } from "./http-io.ts";
import {
  checkTokenParameters,
  REQUEST_STEPS,
  readTokenParameters,
  TRANSPORT_STEPS,
} from "./token-request.ts";

/** How the success response is shaped (spec digest §3.2); these faults bend only it. */
export const RESPONSE_STEP = {
  name: "response is a non-cacheable Bearer token without refresh_token",
  rule: "§3.2, §10",
  bentBy: ["token.cacheable-response", "token.issues-refresh-token", "token.token-type-not-bearer"],
} as const satisfies { name: string; rule: string; bentBy: readonly FaultName[] };

/** Every step of the token endpoint, in order, with the faults that bend it (for docs and self-tests). */
export const TOKEN_ENDPOINT_STEPS: ReadonlyArray<{
  readonly name: string;
  readonly rule: string;
  readonly bentBy: readonly FaultName[];
}> = [...TRANSPORT_STEPS, ...REQUEST_STEPS, PARSE_STEP, ...ASSERTION_STEPS, RESPONSE_STEP].map(
  ({ name, rule, bentBy }) => ({
    name,
    rule,
    bentBy,
  }),
);

function sendToken(res: ServerResponse, context: ReferenceContext, clientId: string): void {
  const { faults } = context;
  const issued = context.tokens.issue(clientId, context.now());
  const chaos = transportChaos(faults);
  if (chaos) {
    answerWithChaos(res, chaos, {
      body: tokenResponseBody(issued, faults),
      selfUrl: `${context.baseUrl}${ENDPOINT_PATHS.token}`,
      canaryUrl: otherHostCanaryUrl(context.baseUrl),
    });
    return;
  }
  sendJson(res, 200, tokenResponseBody(issued, faults), {
    cacheable: faults.has("token.cacheable-response"),
  });
}

function tokenResponseBody(
  issued: { readonly accessToken: string; readonly expiresIn: number },
  faults: FaultSet,
): Record<string, unknown> {
  return {
    access_token: issued.accessToken,
    token_type: faults.has("token.token-type-not-bearer") ? "mac" : "Bearer",
    expires_in: issued.expiresIn,
    ...(faults.has("token.issues-refresh-token") ? { refresh_token: `refresh-${issued.accessToken}` } : {}),
  };
}

/** Handles one request to the token endpoint; `body` is the request body already read. */
export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  context: ReferenceContext,
): Promise<void> {
  const { faults } = context;
  const read = readTokenParameters(
    { method: req.method ?? "", query: url.search.slice(1), contentType: req.headers["content-type"], body },
    faults,
  );
  if ("status" in read) {
    sendJson(res, read.status, read.body, read.headers ? { headers: read.headers } : {});
    return;
  }
  const checked = checkTokenParameters(read.params, faults);
  if ("status" in checked) {
    sendJson(res, checked.status, checked.body);
    return;
  }
  const { draft } = checked;
  if (draft.skipAssertion && draft.clientId !== undefined) {
    sendToken(res, context, draft.clientId);
    return;
  }
  const verdict = await validateClientAssertion(draft.assertion ?? "", draft.clientId, context);
  if (!verdict.ok) {
    sendJson(res, 400, oauthError("invalid_client", verdict.reason));
    return;
  }
  sendToken(res, context, verdict.clientId);
}
