/** Signing the reference target's own iSHARE JWTs (capabilities_token, later parties_token, ...). */
import { randomUUID } from "node:crypto";
import { CompactSign } from "jose";
import { toBase64Der } from "../pki/index.ts";
import type { ReferenceContext } from "./context.ts";

/** Lifetime of the JWTs the reference target signs (spec digest §2.3). */
export const RESPONSE_JWT_LIFETIME_S = 30;

/** The payload of a response JWT: iss = sub = own id, aud when given, jti, iat, exp = iat + 30, then `claims`. */
export function responseJwtPayload(
  context: ReferenceContext,
  claims: Readonly<Record<string, unknown>>,
  audience?: string,
): Record<string, unknown> {
  const iat = Math.floor(context.now() / 1000);
  return {
    iss: context.self.partyId,
    sub: context.self.partyId,
    ...(audience === undefined ? {} : { aud: audience }),
    jti: randomUUID(),
    iat,
    exp: iat + RESPONSE_JWT_LIFETIME_S,
    ...claims,
  };
}

/**
 * Signs `claims` as an iSHARE JWT of the reference party (spec digest §2.2-2.3): RS256, typ JWT, x5c =
 * its full chain; iss = sub = own id, jti, iat, exp = iat + 30, and aud when `audience` is given.
 */
export async function signResponseJwt(
  context: ReferenceContext,
  claims: Readonly<Record<string, unknown>>,
  audience?: string,
): Promise<string> {
  const payload = responseJwtPayload(context, claims, audience);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "RS256", typ: "JWT", x5c: context.self.chain.map(toBase64Der) })
    .sign(context.self.privateKey);
}
