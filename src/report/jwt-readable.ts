/**
 * A recorded JWT made readable for the report: the certificates of its `x5c` header decoded (subject, issuer,
 * validity, SHA-256 fingerprint, key size) and its time claims (iat, nbf, exp) beside their epoch values in
 * ISO 8601, with their distance from when the JWT was recorded.
 */
import { X509Certificate } from "node:crypto";
import type { RecordedJwt } from "../model/result.ts";

/** One decoded x5c entry, or why it could not be decoded. */
export type DecodedCertificate =
  | {
      readonly index: number;
      readonly subject: string;
      readonly issuer: string;
      readonly validFrom: string;
      readonly validTo: string;
      readonly sha256: string;
      readonly serialNumber: string;
      readonly publicKey: string;
    }
  | { readonly index: number; readonly error: string };

const TIME_CLAIMS = ["iat", "nbf", "exp"] as const;

const oneLineName = (name: string): string => name.split("\n").join(", ");

/** Decodes one base64 DER certificate (as in x5c). */
export function decodeCertificate(entry: unknown, index: number): DecodedCertificate {
  if (typeof entry !== "string") return { index, error: `not a string but ${typeof entry}` };
  try {
    const cert = new X509Certificate(Buffer.from(entry, "base64"));
    const key = cert.publicKey;
    const bits = key.asymmetricKeyDetails?.modulusLength;
    return {
      index,
      subject: oneLineName(cert.subject),
      issuer: oneLineName(cert.issuer),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      sha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
      serialNumber: cert.serialNumber,
      publicKey: `${key.asymmetricKeyType ?? "unknown"}${bits !== undefined ? ` ${bits} bit` : ""}`,
    };
  } catch (error) {
    return { index, error: `not a DER certificate in base64 (${(error as Error).message})` };
  }
}

/** `2025-03-01T12:00:00.000Z (120 s before recorded)`, or undefined for a value that is not epoch seconds. */
export function humanTime(value: unknown, recordedAtMs?: number): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  const ms = value * 1000;
  if (Math.abs(ms) > 8.64e15) return `${value} is not a time in seconds (out of range)`;
  const iso = new Date(ms).toISOString();
  if (recordedAtMs === undefined) return iso;
  const delta = Math.round((ms - recordedAtMs) / 1000);
  if (delta === 0) return `${iso} (when recorded)`;
  return `${iso} (${Math.abs(delta)} s ${delta < 0 ? "before" : "after"} recorded)`;
}

/** The JWT with `times` and `x5c (decoded)` added; header and payload stay as they were. */
export function readableJwt(jwt: RecordedJwt, recordedAtMs?: number): Record<string, unknown> {
  const readable: Record<string, unknown> = { header: jwt.header, payload: jwt.payload };
  if (typeof jwt.payload === "object" && jwt.payload !== null) {
    const claims = jwt.payload as Record<string, unknown>;
    const times: Record<string, string> = {};
    for (const claim of TIME_CLAIMS) {
      const human = humanTime(claims[claim], recordedAtMs);
      if (human !== undefined) times[claim] = `${String(claims[claim])} = ${human}`;
    }
    if (Object.keys(times).length > 0) readable["times"] = times;
  }
  if (typeof jwt.header === "object" && jwt.header !== null) {
    const x5c = (jwt.header as Record<string, unknown>)["x5c"];
    if (Array.isArray(x5c)) readable["x5c (decoded)"] = x5c.slice(0, 10).map(decodeCertificate);
  }
  return readable;
}
