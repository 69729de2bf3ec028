/**
 * Turns what undici and node:tls throw into one NetworkError line a user can act on: which exchange, what
 * the target did (never answered, stalled, trickled, reset, closed mid-body, failed TLS) and, where there is
 * one, the fix. Also says which failures are connection errors that an opt-in retry may repeat.
 */
import { errors as undiciErrors } from "undici";
import { NetworkError } from "../errors.ts";
import type { HttpOptions } from "../model/target.ts";
import { INTERIM_FLOOD_CODE } from "./interim-responses.ts";

/** Where the exchange was when it failed. */
export interface FailureContext {
  /** `POST https://host/connect/token`. */
  readonly where: string;
  readonly options: HttpOptions;
  /** Body bytes received before the failure (undefined: before the response headers). */
  readonly bodyBytes?: number;
  /** The whole-exchange deadline (ms) when it was what fired. */
  readonly exchangeDeadlineMs?: number;
}

/** TLS verification failures, by OpenSSL / Node code, with what they mean for the user. */
const TLS_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the server certificate chain ends at a self-signed root that is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server certificate's issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT: "the server certificate's issuer is not trusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server certificate's issuer is not trusted",
  CERT_HAS_EXPIRED: "the server certificate has expired",
  CERT_NOT_YET_VALID: "the server certificate is not yet valid",
  CERT_SIGNATURE_FAILURE: "the server certificate's signature does not verify",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server certificate is not valid for this host name",
};

const TLS_FIX =
  "trust the server's CA with http.extraCa, or pass --insecure for a throw-away test target only";

/** Connection-level codes: the request did not reach the target's application (safe to retry when idempotent). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Every `code` on the error and its causes, outermost first. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * True when `error` happened while connecting or before any response byte: the target's application never
 * saw the request, so repeating an idempotent request is safe.
 */
export function isConnectionFailure(error: unknown): boolean {
  return codesOf(error).some((code) => CONNECTION_CODES.has(code));
}

/** A NetworkError for `error`, naming the exchange, what the target did and the fix. */
export function toNetworkError(error: unknown, context: FailureContext): NetworkError {
  if (error instanceof NetworkError) return error;
  const { where, options } = context;
  const codes = codesOf(error);
  const has = (code: string): boolean => codes.includes(code);
  const received = context.bodyBytes;
  const cause = { cause: error };

  if (context.exchangeDeadlineMs !== undefined) {
    const sofar = received === undefined ? "no response headers yet" : `${received} body bytes so far`;
    return new NetworkError(
      "TIMEOUT",
      `${where}: the exchange did not finish within ${context.exchangeDeadlineMs} ms (${sofar}): ` +
        "the target answers too slowly or trickles its response",
      cause,
    );
  }
  if (error instanceof undiciErrors.ConnectTimeoutError || has("UND_ERR_CONNECT_TIMEOUT")) {
    return new NetworkError(
      "TIMEOUT",
      `${where}: no connection within ${options.connectTimeoutMs} ms`,
      cause,
    );
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || has("UND_ERR_HEADERS_TIMEOUT")) {
    return new NetworkError(
      "TIMEOUT",
      `${where}: no response headers within ${options.headersTimeoutMs} ms (the target accepted the request but did not answer)`,
      cause,
    );
  }
  if (error instanceof undiciErrors.BodyTimeoutError || has("UND_ERR_BODY_TIMEOUT")) {
    return new NetworkError(
      "TIMEOUT",
      `${where}: the response body stalled: no data for ${options.bodyTimeoutMs} ms after ${received ?? 0} bytes`,
      cause,
    );
  }
  const tlsCode = codes.find((code) => Object.hasOwn(TLS_PROBLEMS, code));
  if (tlsCode !== undefined) {
    return new NetworkError(
      "NETWORK",
      `${where}: TLS: ${TLS_PROBLEMS[tlsCode]} (${tlsCode}); ${TLS_FIX}`,
      cause,
    );
  }
  const alert = codes.find((code) => code.startsWith("ERR_SSL_"));
  if (alert !== undefined) {
    const hint = /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA/.test(alert)
      ? "; if the target requires a client certificate, configure http.tls (certificate, key)"
      : "";
    return new NetworkError(
      "NETWORK",
      `${where}: TLS handshake refused by the target (${alert})${hint}`,
      cause,
    );
  }
  if (has("ECONNREFUSED")) {
    return new NetworkError(
      "NETWORK",
      `${where}: connection refused (ECONNREFUSED): is the target running?`,
      cause,
    );
  }
  if (has("ENOTFOUND") || has("EAI_AGAIN")) {
    return new NetworkError("NETWORK", `${where}: host name not found (${codes.join(", ")})`, cause);
  }
  if (has("ECONNRESET")) {
    const when = received === undefined ? "before answering" : `after ${received} body bytes`;
    return new NetworkError(
      "NETWORK",
      `${where}: the target reset the connection ${when} (ECONNRESET)`,
      cause,
    );
  }
  if (has(INTERIM_FLOOD_CODE)) {
    return new NetworkError(
      "NETWORK",
      `${where}: ${messageOf(error)} (RFC 9110 §15.2 allows interim responses before the final one, not a flood)`,
      cause,
    );
  }
  if (has("UND_ERR_SOCKET") || has("EPIPE")) {
    const when =
      received === undefined ? "before the response headers" : `mid-body, after ${received} body bytes`;
    return new NetworkError(
      "NETWORK",
      `${where}: the target closed the connection ${when} (${messageOf(error)})`,
      cause,
    );
  }
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return new NetworkError("TIMEOUT", `${where}: the exchange was aborted (${error.message})`, cause);
  }
  const reason = codes.length > 0 ? `${codes[0]}: ${messageOf(error)}` : messageOf(error);
  return new NetworkError("NETWORK", `${where}: ${reason}`, cause);
}
