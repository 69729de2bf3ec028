/** `GET /capabilities`: the reference target's signed capabilities (spec digest §4). */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBearer } from "./bearer.ts";
import { hostileJwt, jwtChaos } from "./chaos-jwt.ts";
import { ENDPOINT_PATHS, otherHostCanaryUrl, type ReferenceContext } from "./context.ts";
import { oauthError, sendJson } from "./http-io.ts";
import { responseJwtPayload, signResponseJwt } from "./response-jwt.ts";

/** Stable feature ids for one running target (GUIDs, like the spec's examples). */
export interface FeatureIds {
  readonly capabilities: string;
  readonly accessToken: string;
}

/** Fresh feature ids. */
export function newFeatureIds(): FeatureIds {
  return { capabilities: randomUUID(), accessToken: randomUUID() };
}

/** The `capabilities_info` payload member (spec digest §4). */
export function capabilitiesInfo(context: ReferenceContext, ids: FeatureIds): Record<string, unknown> {
  return {
    party_id: context.self.partyId,
    ishare_roles: [{ role: "AuthorisationRegistry" }],
    supported_versions: [
      {
        version: context.version,
        supported_features: [
          {
            public: [
              {
                id: ids.capabilities,
                feature: "capabilities",
                description: "Retrieves the iSHARE capabilities of this party",
                url: `${context.baseUrl}${ENDPOINT_PATHS.capabilities}`,
              },
              {
                id: ids.accessToken,
                feature: "access token",
                description: "Obtains an access token with an iSHARE client assertion",
                url: `${context.baseUrl}${ENDPOINT_PATHS.token}`,
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Handles one request to the capabilities endpoint. */
export async function handleCapabilitiesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
  ids: FeatureIds,
): Promise<void> {
  if (req.method !== "GET") {
    sendJson(res, 405, oauthError("invalid_request", `method ${req.method} is not allowed; use GET`), {
      headers: { allow: "GET" },
    });
    return;
  }
  const bearer = readBearer(req.headers.authorization, context);
  if (bearer.kind === "refused") {
    sendJson(res, bearer.status, bearer.body, { headers: bearer.headers });
    return;
  }
  const audience = bearer.kind === "valid" ? bearer.token.clientId : undefined;
  const claims = { capabilities_info: capabilitiesInfo(context, ids) };
  const chaos = jwtChaos(context.faults);
  const token =
    chaos && context.chaos
      ? await hostileJwt(
          chaos,
          context,
          context.chaos.issuing,
          responseJwtPayload(context, claims, audience),
          otherHostCanaryUrl(context.baseUrl),
        )
      : await signResponseJwt(context, claims, audience);
  sendJson(res, 200, { capabilities_token: token });
}
