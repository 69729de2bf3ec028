/** Signing the reference target's own iSHARE JWTs (capabilities_token, later parties_token, ...). */
import { randomUUID } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { CompactSign } from "jose";
import { toBase64Der } from "../pki/index.ts";
import type { ReferenceContext } from "./context.ts";

/** Lifetime of the JWTs the reference target signs (spec digest §2.3). */
export const RESPONSE_JWT_LIFETIME_S = 30;

/**
 * Signs `claims` as an iSHARE JWT of the reference party (spec digest §2.2-2.3): RS256, typ JWT, x5c =
 * its full chain; iss = sub = own id, jti, iat, exp = iat + 30, and aud when `audience` is given. `chain`
 * replaces the x5c chain (only faults use it); `claims` may override sub (a delegation_token's sub is the
 * access subject, spec digest §5.1).
 */
export async function signResponseJwt(
  context: ReferenceContext,
  claims: Readonly<Record<string, unknown>>,
  audience?: string,
  chain: readonly X509Certificate[] = context.self.chain,
): Promise<string> {
  const iat = Math.floor(context.now() / 1000);
  const payload = {
    iss: context.self.partyId,
    sub: context.self.partyId,
    ...(audience === undefined ? {} : { aud: audience }),
    jti: randomUUID(),
    iat,
    exp: iat + RESPONSE_JWT_LIFETIME_S,
    ...claims,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "RS256", typ: "JWT", x5c: chain.map(toBase64Der) })
    .sign(context.self.privateKey);
}
