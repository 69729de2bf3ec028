/** Tolerant decoding of a compact JWS a target returned: never throws, says what is wrong. */
import { jsonDepth, MAX_JSON_DEPTH } from "../http/json-body.ts";

/** Longest compact JWS examined (characters). */
export const MAX_JWS_LENGTH = 1_048_576;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A decoded JWS, or why it could not be decoded. */
export type DecodedJws =
  | {
      readonly ok: true;
      readonly header: Record<string, unknown>;
      readonly payload: Record<string, unknown>;
    }
  | { readonly ok: false; readonly message: string };

function segment(text: string, what: string): { value: Record<string, unknown> } | { message: string } {
  if (text.length === 0) return { message: `the ${what} is empty` };
  if (!BASE64URL.test(text))
    return { message: `the ${what} is not base64url (RFC 7515 §2: no padding, - and _)` };
  const json = Buffer.from(text, "base64url").toString("utf8");
  // Deeper nesting would exhaust the stack wherever the decoded value is copied or recorded.
  if (jsonDepth(json) > MAX_JSON_DEPTH) {
    return { message: `the ${what} is JSON nested more than ${MAX_JSON_DEPTH} levels deep (not parsed)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { message: `the ${what} is not JSON after base64url decoding` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { message: `the ${what} is JSON but not an object` };
  }
  return { value: value as Record<string, unknown> };
}

/**
 * Splits and decodes a compact JWS (`header.payload.signature`) without verifying it. Refuses input over
 * {@link MAX_JWS_LENGTH} characters. The signature part is not examined.
 */
export function decodeJws(compact: string): DecodedJws {
  if (typeof compact !== "string")
    return { ok: false, message: `expected a compact JWS string, got ${typeof compact}` };
  if (compact.length > MAX_JWS_LENGTH) {
    return {
      ok: false,
      message: `the JWS is ${compact.length} characters long; more than ${MAX_JWS_LENGTH} is not examined`,
    };
  }
  const text = compact.trim();
  if (text.length === 0) return { ok: false, message: "the JWS is empty" };
  const parts = text.split(".");
  if (parts.length !== 3) {
    const hint = parts.length === 5 ? " (5 parts: an encrypted JWE, not a signed JWS)" : "";
    return {
      ok: false,
      message: `a compact JWS has 3 dot-separated parts, this has ${parts.length}${hint}`,
    };
  }
  const header = segment(parts[0]!, "JWS header");
  if ("message" in header) return { ok: false, message: header.message };
  const payload = segment(parts[1]!, "JWS payload");
  if ("message" in payload) return { ok: false, message: payload.message };
  return { ok: true, header: header.value, payload: payload.value };
}
