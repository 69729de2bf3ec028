/**
 * JWT chaos of the reference target: hostile `capabilities_token` values (alg none, jku/x5u pointing at a
 * canary, a 1-bit or a 16,384-bit RSA key in x5c[0], a 5 MB JWT, an x5c of 10,000 entries).
 */
import { randomBytes } from "node:crypto";
import { CompactSign } from "jose";
import type { CaMaterial } from "../pki/index.ts";
import { toWebCryptoSigningKey } from "../pki/keys.ts";
import { parseName, partySubject } from "../pki/names.ts";
import { toBase64Der } from "../pki/pem.ts";
import { x509 } from "../pki/x509.ts";
import type { ReferenceContext } from "./context.ts";
import type { FaultSet } from "./faults.ts";

/** The JWT chaos faults. */
export const JWT_CHAOS = [
  "chaos.jwt-alg-none",
  "chaos.jwt-jku-x5u",
  "chaos.jwt-1-bit-key",
  "chaos.jwt-16384-bit-key",
  "chaos.jwt-5mb",
  "chaos.jwt-deep-payload",
  "chaos.jwt-x5c-10000",
] as const;
export type JwtChaos = (typeof JWT_CHAOS)[number];

/** Length of the `chaos.jwt-5mb` token (characters). */
export const HUGE_JWT_LENGTH = 5_000_000;
/** Nesting depth of the `chaos.jwt-deep-payload` payload. */
export const DEEP_PAYLOAD_LEVELS = 200_000;
/** Entries in the `chaos.jwt-x5c-10000` chain. */
export const LONG_X5C_ENTRIES = 10_000;

/** The JWT chaos planted, if any. */
export function jwtChaos(faults: FaultSet): JwtChaos | undefined {
  return JWT_CHAOS.find((name) => faults.has(name));
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** DER of a length-prefixed ASN.1 element. */
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const derInteger = (bytes: Buffer): Buffer =>
  der(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

/** SubjectPublicKeyInfo of an RSA "key" with this modulus and exponent 65537 (no private half exists). */
export function rsaSpkiWithModulus(modulus: Buffer): Buffer {
  const rsaPublicKey = der(0x30, Buffer.concat([derInteger(modulus), derInteger(Buffer.from([1, 0, 1]))]));
  const algorithm = der(0x30, Buffer.from("06092a864886f70d0101010500", "hex"));
  return der(0x30, Buffer.concat([algorithm, der(0x03, Buffer.concat([Buffer.from([0]), rsaPublicKey]))]));
}

/** A random odd modulus of exactly `bits` bits. */
function randomModulus(bits: number): Buffer {
  if (bits === 1) return Buffer.from([1]);
  const bytes = randomBytes(Math.ceil(bits / 8));
  bytes[0] = (bytes[0]! | 0x80) & (0xff >> (bytes.length * 8 - bits));
  bytes[bytes.length - 1]! |= 1;
  return bytes;
}

/** A party certificate for the reference's id, issued by the test CA, certifying an RSA key of `bits` bits. */
async function certificateWithKeySize(context: ReferenceContext, issuing: CaMaterial, bits: number) {
  const now = context.now();
  return x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString("hex").replace(/^./, "1"),
    subject: parseName(partySubject(context.self.partyId, `Chaos ${bits}-bit key`)),
    issuer: issuing.certificate.subjectName,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 365 * 86_400_000),
    publicKey: rsaSpkiWithModulus(randomModulus(bits)),
    signingKey: await toWebCryptoSigningKey(issuing.privateKey),
    signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  });
}

/** Signs `payload` with the reference's key under `header` (any members). */
async function sign(
  context: ReferenceContext,
  header: Record<string, unknown>,
  payload: unknown,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "RS256", ...header })
    .sign(context.self.privateKey);
}

/**
 * Builds the hostile capabilities_token for `chaos` from the conformant `payload`. `canaryUrl` is where
 * jku / x5u point (the canary counts visits: the harness must never fetch them).
 */
export async function hostileJwt(
  chaos: JwtChaos,
  context: ReferenceContext,
  issuing: CaMaterial,
  payload: Record<string, unknown>,
  canaryUrl: string,
): Promise<string> {
  const x5c = context.self.chain.map(toBase64Der);
  switch (chaos) {
    case "chaos.jwt-alg-none":
      return `${b64url({ alg: "none", typ: "JWT", x5c })}.${b64url(payload)}.`;
    case "chaos.jwt-jku-x5u":
      return sign(context, { typ: "JWT", x5c, jku: `${canaryUrl}?jku`, x5u: `${canaryUrl}?x5u` }, payload);
    case "chaos.jwt-1-bit-key":
    case "chaos.jwt-16384-bit-key": {
      const cert = await certificateWithKeySize(
        context,
        issuing,
        chaos === "chaos.jwt-1-bit-key" ? 1 : 16_384,
      );
      return sign(context, { typ: "JWT", x5c: [toBase64Der(cert), ...x5c.slice(1)] }, payload);
    }
    case "chaos.jwt-5mb": {
      const base = await sign(context, { typ: "JWT", x5c }, payload);
      // Base64url grows 4/3: pad the payload so the whole token is about HUGE_JWT_LENGTH characters.
      const padding = "x".repeat(Math.max(0, Math.floor(((HUGE_JWT_LENGTH - base.length) * 3) / 4)));
      return sign(context, { typ: "JWT", x5c }, { ...payload, padding });
    }
    case "chaos.jwt-deep-payload": {
      // Signed as it is: only the depth is wrong. Text, not objects, so the reference never recurses into it.
      const inner = JSON.stringify(payload).slice(1, -1);
      const deep = `{${inner},"nested":${"[".repeat(DEEP_PAYLOAD_LEVELS)}${"]".repeat(DEEP_PAYLOAD_LEVELS)}}`;
      return new CompactSign(new TextEncoder().encode(deep))
        .setProtectedHeader({ alg: "RS256", typ: "JWT", x5c })
        .sign(context.self.privateKey);
    }
    case "chaos.jwt-x5c-10000": {
      // Short filler entries keep the token small: the count alone must be refused, before any parsing.
      const filler = Array.from({ length: LONG_X5C_ENTRIES - x5c.length }, () => "MA==");
      return sign(context, { typ: "JWT", x5c: [...x5c, ...filler] }, payload);
    }
  }
}
