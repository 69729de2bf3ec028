/**
 * The reference Identity Provider's validation of an authorization request object (iSHARE IdP /authorize:
 * "request", an iSHARE JWT signed by the Service Provider; 3.0: also encrypted as a JWE). Plain node:crypto
 * only (X509Certificate.checkIssued / verify, crypto.verify): the harness's own verifiers never judge here.
 * Each step is bent by at most one fault.
 */
import { verify as cryptoVerify, X509Certificate } from "node:crypto";
import { parseCompactJws } from "../compact-jws.ts";
import { CLOCK_SKEW_S, type ReferenceContext } from "../context.ts";
import { isCompactJwe, openCompactJwe } from "./jwe.ts";

/** Lifetime of an iSHARE JWT: exp = iat + 30 (iSHARE JWT payload rules). */
const REQUEST_LIFETIME_S = 30;
const HASHES: Readonly<Record<string, string>> = { RS256: "sha256", RS384: "sha384", RS512: "sha512" };

/** The verdict on a request object: its claims, or why it is refused. */
export type RequestObjectVerdict =
  | { readonly ok: true; readonly claims: Readonly<Record<string, unknown>> }
  | {
      readonly ok: false;
      readonly reason: string;
      /** The claims when the JWS could be read at all (for the open-redirect fault). */
      readonly readable?: Readonly<Record<string, unknown>>;
    };

function nodeCertificate(base64: unknown): X509Certificate | undefined {
  if (typeof base64 !== "string") return undefined;
  try {
    return new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    return undefined;
  }
}

/** Why the chain does not lead to one of `anchors` at `nowMs`, or undefined. */
function chainProblem(
  chain: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  nowMs: number,
): string | undefined {
  for (const [index, cert] of chain.entries()) {
    if (Date.parse(cert.validFrom) > nowMs || Date.parse(cert.validTo) < nowMs)
      return `x5c[${index}] is not valid now`;
    const issuer = chain[index + 1];
    if (issuer && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey)))
      return `x5c[${index}] is not issued by x5c[${index + 1}]`;
  }
  const last = chain[chain.length - 1]!;
  const anchored = anchors.some(
    (anchor) =>
      anchor.fingerprint256 === last.fingerprint256 ||
      (last.checkIssued(anchor) && last.verify(anchor.publicKey)),
  );
  return anchored ? undefined : "the x5c chain does not lead to a trusted root";
}

/**
 * Validates `request` (the form's `request` parameter) sent by `clientId` to this IdP: decrypted first on
 * 3.0, then header, chain, signature, signer binding, iss, aud, times, jti (claimed once).
 */
export function validateRequestObject(
  request: string,
  clientId: string,
  context: ReferenceContext,
): RequestObjectVerdict {
  const { faults } = context;
  let compact = request;
  if (context.version === "3.0") {
    if (isCompactJwe(request)) {
      const opened = openCompactJwe(request, context.self.privateKey);
      if (!opened.ok) return { ok: false, reason: opened.reason };
      compact = opened.plaintext;
    } else if (!faults.has("oidc.accepts-unencrypted-request")) {
      return { ok: false, reason: "the request object is not encrypted (JWE)" };
    }
  }
  const jws = parseCompactJws(compact);
  if (typeof jws === "string") return { ok: false, reason: `the request object is not a JWT: ${jws}` };
  const claims = jws.payload;
  const refuse = (reason: string): RequestObjectVerdict => ({ ok: false, reason, readable: claims });

  const alg = jws.header["alg"];
  const hash = typeof alg === "string" ? HASHES[alg] : undefined;
  if (!hash || (context.version === "2.0" && alg !== "RS256"))
    return refuse(`alg ${String(alg)} is not allowed`);
  const x5c = jws.header["x5c"];
  if (!Array.isArray(x5c) || x5c.length === 0) return refuse("x5c is missing or empty");
  const chain = x5c.map(nodeCertificate);
  if (chain.some((cert) => cert === undefined)) return refuse("an x5c entry is not a DER certificate");
  const certificates = chain as X509Certificate[];
  const nowMs = context.now();
  if (!faults.has("oidc.accepts-untrusted-request-chain")) {
    const anchors = context.registry.trustAnchors().map((anchor) => anchor.node);
    const problem = chainProblem(certificates, anchors, nowMs);
    if (problem) return refuse(problem);
  }
  if (!faults.has("oidc.ignores-request-signature")) {
    const valid = cryptoVerify(
      hash,
      Buffer.from(jws.signingInput),
      certificates[0]!.publicKey,
      jws.signature,
    );
    if (!valid) return refuse("the request object's signature does not verify with the x5c[0] key");
  }
  if (claims["iss"] !== clientId)
    return refuse(`iss ${String(claims["iss"])} is not the client_id ${clientId}`);
  if (!faults.has("oidc.accepts-impostor-request-signer")) {
    const party = context.registry.party(clientId);
    const leaf = certificates[0]!.fingerprint256.replaceAll(":", "").toLowerCase();
    if (!party) return refuse(`${clientId} is not a registered party`);
    if (party.adherence.status !== "Active") return refuse(`${clientId} is not Active`);
    if (!party.certificates.some((registered) => registered.x5tS256.toLowerCase() === leaf))
      return refuse(`the request object is not signed with a certificate registered for ${clientId}`);
  }
  if (!faults.has("oidc.accepts-wrong-request-aud") && claims["aud"] !== context.self.partyId)
    return refuse(
      `aud ${JSON.stringify(claims["aud"])} is not this Identity Provider (${context.self.partyId})`,
    );
  const iat = claims["iat"];
  const exp = claims["exp"];
  if (typeof iat !== "number" || typeof exp !== "number") return refuse("iat or exp is missing");
  if (!faults.has("oidc.accepts-long-lived-request") && exp - iat !== REQUEST_LIFETIME_S)
    return refuse(`exp - iat is ${exp - iat}, not 30`);
  const nowS = nowMs / 1000;
  if (iat > nowS + CLOCK_SKEW_S) return refuse("iat is in the future");
  if (!faults.has("oidc.accepts-expired-request") && exp < nowS - CLOCK_SKEW_S)
    return refuse("the request object has expired");
  const jti = claims["jti"];
  const hasJti = typeof jti === "string" && jti !== "";
  if (!hasJti && !faults.has("oidc.accepts-request-without-jti")) return refuse("jti is missing");
  if (hasJti && !faults.has("oidc.accepts-replayed-request")) {
    if (!context.replay.tryRemember(`request:${jti}`, (exp + CLOCK_SKEW_S) * 1000 + 60_000, nowMs))
      return refuse(`request object jti ${jti} was already used`);
  }
  return { ok: true, claims };
}
