/** Building iSHARE client assertions (spec digest §2.4), correct or with deliberate defects planted. */
import { createHash, createPublicKey, type KeyObject, randomUUID } from "node:crypto";
import type { PartyIdentity } from "../model/identity.ts";
import { sha256Thumbprint, toBase64Der, toPem } from "../pki/index.ts";
import type { CertificateMint } from "./certificate-mint.ts";
import { encodeJsonSegment, signCompactJws } from "./compact-jws.ts";
import {
  type AssertionDefect,
  BOGUS_JKU,
  BOGUS_X5U,
  isCertificateDefect,
  otherPartyId,
  WRONG_AUDIENCE,
} from "./defects.ts";

/** Lifetime of a correct assertion: exp = iat + 30 (spec digest §2.3). */
export const ASSERTION_LIFETIME_S = 30;
/** How far `expired`, `not-yet-valid` and `iat-in-future` move time. */
export const DEFECT_SKEW_S = 120;

export interface ClientAssertionInput {
  /** Who signs: iss (and sub) is its party id, x5c its chain. */
  readonly identity: PartyIdentity;
  /** The target's party id. */
  readonly audience: string;
  /** Current time in epoch milliseconds. */
  readonly nowMs: number;
  /** Defects to plant; several may combine (among certificate defects the last one wins). */
  readonly defects?: readonly AssertionDefect[];
  /** Signature algorithm of a correct assertion (default RS256). */
  readonly alg?: "RS256" | "RS384" | "RS512";
  /** sub when it should differ from iss (default: the identity's party id). */
  readonly subject?: string;
  /** Further payload claims (applied before defects, after the standard claims). */
  readonly claims?: Record<string, unknown>;
  /** jti to use (default: a random UUID), e.g. to replay one. */
  readonly jti?: string;
  readonly mint: CertificateMint;
}

export interface ClientAssertion {
  /** The compact JWS. */
  readonly jwt: string;
  /** The jti generated (or given), even when a defect removed it from the payload. */
  readonly jti: string;
  /** The header as encoded in `jwt`. */
  readonly header: Record<string, unknown>;
  /** The payload as encoded in `jwt` (after tampering, if any). */
  readonly payload: Record<string, unknown>;
}

/**
 * Creates a client assertion. Correct form: header exactly `{alg, typ: "JWT", x5c}` (full chain, base64
 * DER); payload `iss` = `sub` = party id, `aud` = audience (one string), `jti`, `iat` = now (seconds),
 * `nbf` = iat, `exp` = iat + 30, plus `claims`. Every requested defect is then applied.
 * @throws NotApplicableError when a certificate defect needs a trusted CA that is not configured.
 */
export async function createClientAssertion(input: ClientAssertionInput): Promise<ClientAssertion> {
  const defects = new Set(input.defects ?? []);
  let identity = input.identity;
  for (const defect of defects) {
    if (isCertificateDefect(defect)) identity = await input.mint.identityFor(defect, input.identity);
  }
  const leaf = identity.chain[0];
  if (!leaf) throw new Error(`identity ${identity.partyId} has no certificate chain`);

  let alg: string = input.alg ?? "RS256";
  if (defects.has("alg-rs384")) alg = "RS384";
  if (defects.has("alg-rs512")) alg = "RS512";
  if (defects.has("alg-hs256")) alg = "HS256";
  if (defects.has("alg-none")) alg = "none";
  if (defects.has("alg-none-capitalised")) alg = "None";
  if (defects.has("alg-none-uppercase")) alg = "NONE";
  if (defects.has("alg-ps256")) alg = "PS256";
  if (defects.has("alg-es256")) alg = "ES256";

  const header: Record<string, unknown> = { alg, typ: "JWT", x5c: x5cFor(identity, defects) };
  if (defects.has("missing-x5c")) delete header["x5c"];
  if (defects.has("extra-header-kid")) header["kid"] = sha256Thumbprint(leaf);
  if (defects.has("extra-header-x5u")) header["x5u"] = BOGUS_X5U;
  if (defects.has("extra-header-jku")) header["jku"] = BOGUS_JKU;
  if (defects.has("extra-header-x5t")) header["x5t"] = thumbprint(leaf, "sha1");
  if (defects.has("extra-header-x5t-s256")) header["x5t#S256"] = thumbprint(leaf, "sha256");
  if (defects.has("extra-header-crit")) {
    header["crit"] = ["urn:example:unknown"];
    header["urn:example:unknown"] = true;
  }
  if (defects.has("typ-not-jwt")) header["typ"] = "JOSE";
  let attackerKey: KeyObject | undefined;
  if (defects.has("extra-header-jwk")) {
    attackerKey = await input.mint.freshKey();
    header["jwk"] = createPublicKey(attackerKey).export({ format: "jwk" });
  }

  const jti = input.jti ?? randomUUID();
  const payload = buildPayload(input, identity.partyId, jti, defects);

  let key: KeyObject | Uint8Array | null = identity.privateKey;
  if (defects.has("wrong-key")) key = await input.mint.freshKey();
  if (attackerKey) key = attackerKey;
  if (alg === "HS256") {
    const spki = createPublicKey({ key: Buffer.from(leaf.publicKey.rawData), format: "der", type: "spki" });
    key = Buffer.from(spki.export({ format: "pem", type: "spki" }));
  }
  if (alg.toLowerCase() === "none") key = null;

  let jwt = signCompactJws(header, payload, key, alg);
  let finalPayload = payload;
  if (defects.has("tampered-payload")) {
    // Only jti changes: every cross-check (iss = sub = client_id, aud, times) still holds, so nothing but
    // signature verification can notice the alteration.
    finalPayload = { ...payload, jti: `${String(payload["jti"] ?? jti)}-tampered` };
    const [h, , s] = jwt.split(".");
    jwt = `${h}.${encodeJsonSegment(finalPayload)}.${s}`;
  }
  return { jwt, jti, header, payload: finalPayload };
}

/** base64url of the SHA-1 / SHA-256 digest of a certificate's DER (RFC 7515 §4.1.7, §4.1.8). */
function thumbprint(cert: Parameters<typeof toBase64Der>[0], hash: "sha1" | "sha256"): string {
  return createHash(hash).update(Buffer.from(cert.rawData)).digest("base64url");
}

function x5cFor(identity: PartyIdentity, defects: ReadonlySet<AssertionDefect>): string[] {
  let chain = [...identity.chain];
  if (defects.has("empty-x5c")) chain = [];
  if (defects.has("leaf-only-chain")) chain = chain.slice(0, 1);
  if (defects.has("reversed-chain")) chain.reverse();
  return defects.has("x5c-pem-armour") ? chain.map((cert) => toPem(cert).trimEnd()) : chain.map(toBase64Der);
}

function buildPayload(
  input: ClientAssertionInput,
  partyId: string,
  jti: string,
  defects: ReadonlySet<AssertionDefect>,
): Record<string, unknown> {
  const now = Math.floor(input.nowMs / 1000);
  let iat = now;
  let nbf = now;
  if (defects.has("expired")) {
    iat = now - DEFECT_SKEW_S;
    nbf = iat;
  }
  if (defects.has("iat-in-future")) iat = now + DEFECT_SKEW_S;
  if (defects.has("not-yet-valid")) nbf = now + DEFECT_SKEW_S;
  const exp = iat + (defects.has("lifetime-60s") ? 60 : ASSERTION_LIFETIME_S);

  const payload: Record<string, unknown> = {
    iss: partyId,
    sub: input.subject ?? partyId,
    aud: input.audience,
    jti,
    iat,
    nbf,
    exp,
    ...input.claims,
  };
  if (defects.has("millisecond-timestamps")) {
    for (const claim of ["iat", "nbf", "exp"]) {
      if (typeof payload[claim] === "number") payload[claim] = (payload[claim] as number) * 1000;
    }
  }
  if (defects.has("wrong-aud")) payload["aud"] = WRONG_AUDIENCE;
  if (defects.has("aud-array")) payload["aud"] = [input.audience];
  if (defects.has("missing-aud")) delete payload["aud"];
  if (defects.has("iss-not-sub")) payload["sub"] = otherPartyId(payload["iss"], payload["sub"]);
  if (defects.has("missing-jti")) delete payload["jti"];
  if (defects.has("missing-iat")) delete payload["iat"];
  if (defects.has("missing-exp")) delete payload["exp"];
  return payload;
}
