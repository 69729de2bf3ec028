/**
 * `/connect/userinfo` of the reference Identity Provider: with the H2M access token, a signed iSHARE JWT
 * carrying delegation evidence about the human (accessSubject = the pseudonym) and the user's attributes
 * (iSHARE IdP userinfo page: POST, application/jwt; 3.0 OpenAPI: GET, a signed JWT). Without a valid token: 401.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DelegationMask, PolicySet } from "../../delegation/index.ts";
import { NO_STORE_HEADERS, oauthError, sendJson } from "../http-io.ts";
import { signResponseJwt } from "../response-jwt.ts";
import type { IdpEnvironment } from "./authorize.ts";

/** What the test user may do (its one policy): read the portal; anything else is denied. */
export const USER_POLICY = {
  type: "ISHARE.PORTAL",
  action: "iSHARE.READ",
  deniedAction: "iSHARE.DELETE",
} as const;

/** The Permit and Deny masks the harness sends to the reference userinfo (accessSubject filled in per run). */
export function userinfoMasks(idpId: string): {
  readonly permit: DelegationMask;
  readonly deny: DelegationMask;
} {
  const mask = (action: string): DelegationMask => ({
    delegationRequest: {
      policyIssuer: idpId,
      target: { accessSubject: "replaced-by-the-pseudonym" },
      policySets: [
        {
          policies: [
            {
              target: {
                resource: { type: USER_POLICY.type, identifiers: ["*"], attributes: ["*"] },
                actions: [action],
              },
              rules: [{ effect: "Permit" }],
            },
          ],
        },
      ],
    },
  });
  return { permit: mask(USER_POLICY.action), deny: mask(USER_POLICY.deniedAction) };
}

function askedPolicySets(body: string): readonly PolicySet[] | undefined {
  if (body.trim() === "") return undefined;
  try {
    const sets = (JSON.parse(body) as DelegationMask).delegationRequest.policySets;
    return Array.isArray(sets) ? sets : undefined;
  } catch {
    return undefined;
  }
}

/** Handles one userinfo request. */
export async function handleUserinfo(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  env: IdpEnvironment,
): Promise<void> {
  const { context, store } = env;
  const { faults } = context;
  const header = req.headers.authorization ?? "";
  const presented = /^Bearer (\S+)$/.exec(header)?.[1];
  const token = presented === undefined ? undefined : store.tokens.get(presented);
  const valid = token !== undefined && !token.revoked && token.expiresAt > context.now();
  if (!valid && !faults.has("oidc.userinfo-without-token")) {
    sendJson(res, 401, oauthError("invalid_token", "a valid H2M access token is required"), {
      headers: { "www-authenticate": 'Bearer error="invalid_token"' },
    });
    return;
  }
  const sub = valid ? token.sub : "anonymous";
  const asked = askedPolicySets(body);
  const nowS = Math.floor(context.now() / 1000);
  const allowed = (actions: readonly string[], type: string): boolean =>
    faults.has("oidc.userinfo-permits-everything") ||
    (type === USER_POLICY.type && actions.every((action) => action === USER_POLICY.action));
  const policySets: PolicySet[] = (
    asked ?? userinfoMasks(context.self.partyId).permit.delegationRequest.policySets
  ).map((set) => ({
    policies: set.policies.map((policy) => ({
      target: policy.target,
      rules: [{ effect: allowed(policy.target.actions, policy.target.resource.type) ? "Permit" : "Deny" }],
    })),
  }));
  const jwt = await signResponseJwt(
    context,
    {
      sub,
      delegationEvidence: {
        notBefore: nowS,
        notOnOrAfter: nowS + 3600,
        policyIssuer: context.self.partyId,
        target: { accessSubject: sub },
        policySets,
      },
      first_name: "Test",
      last_name: "User",
    },
    valid ? token.clientId : undefined,
  );
  if (context.version === "3.0") {
    sendJson(res, 200, { userinfo_token: jwt });
    return;
  }
  res.writeHead(200, {
    "content-type": "application/jwt",
    "content-length": Buffer.byteLength(jwt),
    ...NO_STORE_HEADERS,
  });
  res.end(jwt);
}
