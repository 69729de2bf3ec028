/**
 * Sends one HTTP request with undici and reads the answer under hard limits: connect, header and body
 * timeouts, an overall deadline, a response-size cap (the stream is cut, not buffered whole) and no redirects
 * (a 3xx is returned as it is, for the checks to judge). Failures below HTTP become NetworkError.
 */
import { Agent, request, errors as undiciErrors } from "undici";
import { NetworkError } from "../errors.ts";
import type { HttpOptions } from "../model/target.ts";
import type { HttpResponse } from "./response.ts";

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  maxBodyBytes: 5 * 1024 * 1024,
  extraCaPem: [],
  insecure: false,
};

/** One connection pool per target, with that target's limits. */
export class HttpClient {
  readonly #agent: Agent;
  readonly #options: HttpOptions;

  constructor(options: HttpOptions, connections = 8) {
    this.#options = options;
    this.#agent = new Agent({
      connections,
      connect: {
        timeout: options.connectTimeoutMs,
        rejectUnauthorized: !options.insecure,
        ...(options.extraCaPem.length > 0 ? { ca: [...options.extraCaPem] } : {}),
      },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
  }

  /** Sends `outgoing`; resolves with the (possibly truncated) response, rejects with NetworkError. */
  async send(outgoing: OutgoingRequest): Promise<HttpResponse> {
    const started = performance.now();
    const options = this.#options;
    // Whole-exchange deadline: headers + body, so a trickling server cannot hold a case forever.
    const deadline = options.connectTimeoutMs + options.headersTimeoutMs + options.bodyTimeoutMs;
    const signal = AbortSignal.timeout(deadline);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(outgoing.url, {
        method: outgoing.method as "GET",
        headers: outgoing.headers,
        ...(outgoing.body !== undefined ? { body: outgoing.body } : {}),
        dispatcher: this.#agent,
        signal,
      });
    } catch (error) {
      throw toNetworkError(error, outgoing, options);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;
    try {
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
    } catch (error) {
      throw toNetworkError(error, outgoing, options);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    return {
      url: outgoing.url,
      status: response.statusCode,
      headers,
      bodyText: Buffer.concat(chunks).toString("utf8"),
      bodyBytes: received,
      truncated,
      durationMs: Math.round(performance.now() - started),
    };
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => this.#agent.destroy());
  }
}

function toNetworkError(error: unknown, outgoing: OutgoingRequest, options: HttpOptions): NetworkError {
  const where = `${outgoing.method} ${outgoing.url}`;
  const code = (error as { code?: string }).code;
  if (error instanceof undiciErrors.ConnectTimeoutError) {
    return new NetworkError("TIMEOUT", `${where}: no connection within ${options.connectTimeoutMs} ms`, {
      cause: error,
    });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError) {
    return new NetworkError(
      "TIMEOUT",
      `${where}: no response headers within ${options.headersTimeoutMs} ms`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new NetworkError("TIMEOUT", `${where}: response body stalled for ${options.bodyTimeoutMs} ms`, {
      cause: error,
    });
  }
  if ((error as Error).name === "TimeoutError" || (error as Error).name === "AbortError") {
    return new NetworkError("TIMEOUT", `${where}: exchange not finished within its deadline`, {
      cause: error,
    });
  }
  const reason = code ? `${code}: ${(error as Error).message}` : String((error as Error).message ?? error);
  return new NetworkError("NETWORK", `${where}: ${reason}`, { cause: error });
}
