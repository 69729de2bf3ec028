/**
 * Reading a response body as JSON without trusting it: a body cut at the size cap, bytes that are not UTF-8
 * and nesting deep enough to exhaust the stack are each reported as what they are, never parsed blindly.
 */
import type { HttpResponse } from "./response.ts";

/** Deepest JSON nesting the harness parses; iSHARE documents nest fewer than 20 levels. */
export const MAX_JSON_DEPTH = 256;

/** A parsed JSON value, or what is wrong with the text. */
export type JsonRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/**
 * The nesting depth of `text` read as JSON (brackets outside strings), stopping early once it exceeds `limit`:
 * returns a number greater than `limit` as soon as it is known. Linear in the text length.
 */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Text quoted in a message, with long token-like runs elided: a cut-off excerpt could otherwise show part of
 * a credential that redaction (which matches whole secrets) would miss.
 */
export function excerpt(text: string): string {
  return text.replace(/[A-Za-z0-9\-_.~+/]{20,}=*/g, "…");
}

/** JSON.parse behind a depth guard. */
export function parseJsonText(text: string, limit = MAX_JSON_DEPTH): JsonRead {
  if (jsonDepth(text, limit) > limit) {
    return { ok: false, message: `saw JSON nested more than ${limit} levels deep (not parsed)` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      message: `saw a body that is not JSON (${excerpt((error as Error).message)}; starts ${JSON.stringify(excerpt(text.slice(0, 60)))})`,
    };
  }
}

/** The response body as JSON, or why it cannot be judged as JSON (cut at the cap, not UTF-8, too deep, empty). */
export function parseJsonBody(response: HttpResponse): JsonRead {
  const contentType = response.headers["content-type"];
  if (response.truncated) {
    const cap = response.maxBodyBytes ?? response.bodyBytes;
    return {
      ok: false,
      message: `saw a body larger than the ${cap}-byte cap (cut there, not parsed; http.maxBodyBytes raises the cap)`,
    };
  }
  if (response.invalidUtf8At !== undefined) {
    return {
      ok: false,
      message: `saw a body that is not valid UTF-8 (first bad byte at offset ${response.invalidUtf8At}); JSON must be UTF-8 (RFC 8259 §8.1)`,
    };
  }
  if (response.bodyText.trim() === "") {
    return { ok: false, message: `saw an empty body (Content-Type ${contentType ?? "absent"})` };
  }
  return parseJsonText(response.bodyText);
}
