/** Signing the reference target's own iSHARE JWTs (capabilities_token, parties_token, delegation_token, ...). */
import { type KeyObject, randomUUID } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { CompactSign } from "jose";
import { generateRsaKeyPair } from "../pki/keys.ts";
import { toBase64Der } from "../pki/pem.ts";
import type { ReferenceContext } from "./context.ts";

/** Lifetime of the JWTs the reference target signs (spec digest §2.3). */
export const RESPONSE_JWT_LIFETIME_S = 30;

/** Deliberate departures from the iSHARE JWT rules, each used by one planted fault. */
export interface JwtTweaks {
  /** exp - iat in seconds instead of 30. */
  readonly lifetimeS?: number;
  /** Extra protected-header members (e.g. kid). */
  readonly header?: Readonly<Record<string, unknown>>;
  /** x5c root first instead of signer first. */
  readonly reversedChain?: boolean;
  /** Sign with a key that does not belong to x5c[0]. */
  readonly foreignKey?: boolean;
  /** Claims to leave out (e.g. jti). */
  readonly omit?: readonly string[];
  /** An x5c chain other than the target's own (e.g. the leaf only). */
  readonly chain?: readonly X509Certificate[];
}

// A key unrelated to any certificate, made once per process and only when a fault asks for it.
let foreignKey: Promise<KeyObject> | undefined;

function foreignSigningKey(): Promise<KeyObject> {
  foreignKey ??= generateRsaKeyPair(2048).then((pair) => pair.privateKey);
  return foreignKey;
}

/**
 * The payload of a response JWT: iss = sub = own id, aud when given, jti, iat, exp = iat + `lifetimeS`
 * (30 unless a fault says otherwise), then `claims`.
 */
export function responseJwtPayload(
  context: ReferenceContext,
  claims: Readonly<Record<string, unknown>>,
  audience?: string,
  lifetimeS = RESPONSE_JWT_LIFETIME_S,
): Record<string, unknown> {
  const iat = Math.floor(context.now() / 1000);
  return {
    iss: context.self.partyId,
    sub: context.self.partyId,
    ...(audience === undefined ? {} : { aud: audience }),
    jti: randomUUID(),
    iat,
    exp: iat + lifetimeS,
    ...claims,
  };
}

/**
 * Signs `claims` as an iSHARE JWT of the reference party (spec digest §2.2-2.3): RS256, typ JWT, x5c =
 * its full chain; iss = sub = own id, jti, iat, exp = iat + 30, and aud when `audience` is given. `claims`
 * may override sub (a delegation_token's sub is the access subject, spec digest §5.1). `tweaks` (faults only)
 * bend exactly one of these rules.
 */
export async function signResponseJwt(
  context: ReferenceContext,
  claims: Readonly<Record<string, unknown>>,
  audience?: string,
  tweaks: JwtTweaks = {},
): Promise<string> {
  const payload = responseJwtPayload(context, claims, audience, tweaks.lifetimeS);
  for (const claim of tweaks.omit ?? []) delete payload[claim];
  const chain = (tweaks.chain ?? context.self.chain).map(toBase64Der);
  const key = tweaks.foreignKey ? await foreignSigningKey() : context.self.privateKey;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({
      alg: "RS256",
      typ: "JWT",
      x5c: tweaks.reversedChain ? chain.reverse() : chain,
      ...tweaks.header,
    })
    .sign(key);
}
