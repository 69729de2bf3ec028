/** Request reading and JSON responses of the reference target: body cap, no-store headers. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Largest request body read (bytes); larger bodies get 413. */
export const MAX_REQUEST_BODY_BYTES = 1_048_576;

/** Beyond this many bytes the connection is cut instead of draining the body for a clean 413. */
const MAX_DRAIN_BYTES = 16 * MAX_REQUEST_BODY_BYTES;

/** The headers that make a response non-cacheable (spec digest §10). */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  pragma: "no-cache",
};

/** A request body read in full, or the fact that it was too large. */
export type BodyRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly bytes: number };

/** Reads the request body as UTF-8, up to {@link MAX_REQUEST_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_DRAIN_BYTES) {
        req.destroy();
        return;
      }
      if (bytes <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (bytes > MAX_REQUEST_BODY_BYTES) resolve({ ok: false, bytes });
      else resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    });
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the client closed the connection before the body ended"));
    });
  });
}

/** Options of {@link sendJson}. */
export interface SendOptions {
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Leave out Cache-Control / Pragma (only the `token.cacheable-response` fault does). */
  readonly cacheable?: boolean;
}

/** Sends `body` as JSON with `status`; every response is non-cacheable unless told otherwise. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  options: SendOptions = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...(options.cacheable ? {} : NO_STORE_HEADERS),
    ...options.headers,
  });
  res.end(text);
}

/** An RFC 6749 §5.2 error body. */
export interface OAuthError {
  readonly error: string;
  readonly error_description: string;
}

/** Builds an {@link OAuthError}. */
export function oauthError(error: string, description: string): OAuthError {
  return { error, error_description: description };
}

/** An RFC 9457 problem details body (OpenAPI 3.0 `components.schemas.problemDetails`: type, title, status required). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** Short titles of the statuses the reference answers with problem details. */
const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
};

/** Builds a {@link ProblemDetails} for `status` (type `about:blank`, RFC 9457 §4.2.1). */
export function problemDetails(status: number, detail: string): ProblemDetails {
  return { type: "about:blank", title: PROBLEM_TITLES[status] ?? "Error", status, detail };
}

/**
 * Sends an error: `application/problem+json` (RFC 9457) when `problem` (iSHARE 3.0 outside /connect/token, OpenAPI
 * 3.0 `components.responses.badRequest`, `bearerUnauthorized`), otherwise the 2.x OAuth-style JSON body `oauth`.
 */
export function sendError(
  res: ServerResponse,
  status: number,
  oauth: OAuthError,
  options: SendOptions & { readonly problem: boolean },
): void {
  if (!options.problem) {
    sendJson(res, status, oauth, options);
    return;
  }
  const text = JSON.stringify(problemDetails(status, oauth.error_description));
  res.writeHead(status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(text),
    ...NO_STORE_HEADERS,
    ...options.headers,
  });
  res.end(text);
}
