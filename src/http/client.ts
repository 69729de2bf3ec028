/**
 * Sends one HTTP request with undici and reads the answer under hard limits: connect, header and body
 * timeouts, a whole-exchange deadline (so a trickling server cannot hold a case), the caller's deadline
 * (case, run, interrupt), a response-size cap (the stream is cut, not buffered whole), a requests-per-second
 * pace, no redirects (a 3xx is returned as it is, for the checks to judge) and, opt-in, bounded retries of
 * idempotent requests after connection errors. Failures below HTTP become NetworkError.
 */
import { type Dispatcher, request } from "undici";
import { NetworkError } from "../errors.ts";
import type { HttpOptions } from "../model/target.ts";
import { createDispatcher, type ProxySettings } from "./dispatcher.ts";
import { isConnectionFailure, toNetworkError } from "./network-error.ts";
import { RequestPacer, sleep } from "./pacer.ts";
import type { HttpResponse } from "./response.ts";
import { firstInvalidUtf8 } from "./utf8.ts";

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Per-request options of {@link HttpClient.send}. */
export interface SendOptions {
  /**
   * Aborts the exchange (case deadline, run deadline, interrupt). When its reason is a NetworkError, that
   * error's message, prefixed with the exchange, is what the caller gets.
   */
  readonly signal?: AbortSignal | undefined;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  maxBodyBytes: 5 * 1024 * 1024,
  extraCaPem: [],
  insecure: false,
};

/** Methods RFC 9110 §9.2.2 calls idempotent: the only ones ever retried. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Most retries a configuration may ask for. */
export const MAX_RETRIES = 5;

/** Pause before retry n (1-based): 250 ms, 500 ms, 1 s, ... */
const backoffMs = (retry: number): number => 250 * 2 ** (retry - 1);

type Attempt =
  | { readonly ok: true; readonly response: HttpResponse }
  | { readonly ok: false; readonly error: NetworkError; readonly retryable: boolean };

/** One connection pool per target, with that target's limits. */
export class HttpClient {
  readonly #dispatcher: Dispatcher;
  readonly #options: HttpOptions;
  readonly #pacer: RequestPacer;
  /** The proxy in use, from HTTP_PROXY / HTTPS_PROXY (undefined: direct connections). */
  readonly proxy: ProxySettings | undefined;

  constructor(options: HttpOptions, connections = 8, env: NodeJS.ProcessEnv = process.env) {
    this.#options = options;
    const { dispatcher, proxy } = createDispatcher(options, connections, env);
    this.#dispatcher = dispatcher;
    this.proxy = proxy;
    this.#pacer = new RequestPacer(options.requestsPerSecond ?? 0);
  }

  /** Sends `outgoing`; resolves with the (possibly truncated) response, rejects with NetworkError. */
  async send(outgoing: OutgoingRequest, sendOptions: SendOptions = {}): Promise<HttpResponse> {
    const { signal } = sendOptions;
    const where = `${outgoing.method} ${outgoing.url}`;
    // Never handed to undici: an invalid header value there leaks a pooled connection per request.
    const invalid = invalidHeaderValue(outgoing.headers);
    if (invalid !== undefined) throw new NetworkError("NETWORK", `${where}: not sent: ${invalid}`);
    const retries = IDEMPOTENT_METHODS.has(outgoing.method.toUpperCase())
      ? Math.min(MAX_RETRIES, this.#options.retries ?? 0)
      : 0;
    const failures: string[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#pacer.wait(signal);
      } catch (reason) {
        throw abortedError(reason, where, "waiting for its send slot (rate limit)");
      }
      const result = await this.#once(outgoing, where, signal);
      if (result.ok) {
        return failures.length > 0 ? { ...result.response, retries: failures } : result.response;
      }
      if (!result.retryable || attempt >= retries || signal?.aborted) {
        if (failures.length === 0) throw result.error;
        throw new NetworkError(
          result.error.code as "NETWORK" | "TIMEOUT",
          `${result.error.message} (after ${failures.length} retr${failures.length === 1 ? "y" : "ies"}: ${failures.join("; ")})`,
          { cause: result.error },
        );
      }
      failures.push(result.error.message);
      try {
        await sleep(backoffMs(attempt + 1), signal);
      } catch (reason) {
        throw abortedError(reason, where, "waiting to retry");
      }
    }
  }

  async #once(outgoing: OutgoingRequest, where: string, signal: AbortSignal | undefined): Promise<Attempt> {
    const started = performance.now();
    const options = this.#options;
    // Whole-exchange deadline: headers + body, so a trickling server cannot hold a case forever.
    const exchangeMs = options.connectTimeoutMs + options.headersTimeoutMs + options.bodyTimeoutMs;
    const exchange = new AbortController();
    const timer = setTimeout(() => exchange.abort(), exchangeMs);
    const combined = signal ? AbortSignal.any([exchange.signal, signal]) : exchange.signal;
    let received: number | undefined;
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await request(outgoing.url, {
        method: outgoing.method as Dispatcher.HttpMethod,
        headers: outgoing.headers,
        ...(outgoing.body !== undefined ? { body: outgoing.body } : {}),
        dispatcher: this.#dispatcher,
        signal: combined,
      });
      const chunks: Buffer[] = [];
      received = 0;
      let truncated = false;
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        const room = options.maxBodyBytes - received;
        if (buffer.length > room) {
          chunks.push(buffer.subarray(0, room));
          received += room;
          truncated = true;
          response.body.destroy();
          break;
        }
        chunks.push(buffer);
        received += buffer.length;
      }
      const bytes = Buffer.concat(chunks);
      const invalidAt = truncated ? -1 : firstInvalidUtf8(bytes);
      return {
        ok: true,
        response: {
          url: outgoing.url,
          status: response.statusCode,
          headers: headersOf(response.headers),
          bodyText: bytes.toString("utf8"),
          bodyBytes: received,
          truncated,
          maxBodyBytes: options.maxBodyBytes,
          ...(invalidAt >= 0 ? { invalidUtf8At: invalidAt } : {}),
          durationMs: Math.round(performance.now() - started),
        },
      };
    } catch (error) {
      response?.body.destroy();
      if (signal?.aborted) {
        const sofar = received === undefined ? "before the response headers" : `after ${received} body bytes`;
        return { ok: false, error: abortedError(signal.reason, where, sofar), retryable: false };
      }
      const failure = toNetworkError(error, {
        where,
        options,
        ...(received !== undefined ? { bodyBytes: received } : {}),
        ...(exchange.signal.aborted ? { exchangeDeadlineMs: exchangeMs } : {}),
      });
      return {
        ok: false,
        error: failure,
        retryable: received === undefined && !exchange.signal.aborted && isConnectionFailure(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.#dispatcher.close().catch(() => this.#dispatcher.destroy());
  }
}

/** Characters an HTTP field value may hold when the harness sends it: HTAB, SP and visible ASCII. */
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * Why a header value may not be sent (RFC 9110 §5.5: no CR, LF, NUL or other controls; the harness sends no
 * obs-text either), naming the header, the character and its offset; undefined when every value is fine.
 */
export function invalidHeaderValue(headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (FIELD_VALUE.test(value)) continue;
    const at = [...value].findIndex((c) => !FIELD_VALUE.test(c));
    const code = value.codePointAt(at) ?? 0;
    const what =
      code === 0x0d
        ? "a CR"
        : code === 0x0a
          ? "an LF"
          : `the character U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    return `the ${name} header holds ${what} at offset ${at}, which an HTTP field value may not hold (RFC 9110 §5.5)`;
  }
  return undefined;
}

function headersOf(raw: Dispatcher.ResponseData["headers"]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** The error for an exchange the caller aborted: its NetworkError reason, prefixed with the exchange. */
function abortedError(reason: unknown, where: string, when: string): NetworkError {
  if (reason instanceof NetworkError) {
    return new NetworkError(reason.code as "TIMEOUT", `${where}: ${reason.message} (${when})`, {
      cause: reason,
    });
  }
  const text = reason instanceof Error ? reason.message : String(reason ?? "aborted");
  return new NetworkError("TIMEOUT", `${where}: aborted ${when}: ${text}`, { cause: reason });
}
