/** Parsing a compact JWS (RFC 7515 §7.1) without verifying it: header, payload, signing input. */

/** A compact JWS split into its parts; nothing verified yet. */
export interface ParsedJws {
  /** The JWS as received. */
  readonly compact: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `<header segment>.<payload segment>`, the bytes the signature covers. */
  readonly signingInput: string;
  /** Decoded signature (empty for `alg: none`). */
  readonly signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeJsonObject(segment: string, what: string): Record<string, unknown> | string {
  if (segment.length === 0) return `the ${what} segment is empty`;
  if (!BASE64URL.test(segment)) return `the ${what} segment is not base64url`;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return `the ${what} is not JSON`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `the ${what} is not a JSON object`;
  }
  return value as Record<string, unknown>;
}

/** Splits and decodes a compact JWS; returns a problem description when it is not one. */
export function parseCompactJws(compact: string): ParsedJws | string {
  const parts = compact.split(".");
  if (parts.length !== 3) return `a compact JWS has 3 dot-separated parts, this has ${parts.length}`;
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = decodeJsonObject(headerSegment, "JOSE header");
  if (typeof header === "string") return header;
  const payload = decodeJsonObject(payloadSegment, "payload");
  if (typeof payload === "string") return payload;
  if (!BASE64URL.test(signatureSegment)) return "the signature segment is not base64url";
  return {
    compact,
    header,
    payload,
    signingInput: `${headerSegment}.${payloadSegment}`,
    signature: Buffer.from(signatureSegment, "base64url"),
  };
}
