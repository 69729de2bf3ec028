/**
 * Transport and body chaos of the reference target: real socket-level misbehaviour in place of the token
 * endpoint's successful answer (never answering, stalling, trickling, resetting, closing mid-body, HTML
 * error pages, a 200 MB body, bytes that are not UTF-8, text that is not JSON, 100,000-level nesting,
 * redirects). Every timer and stream stops when the client goes away.
 */
import type { ServerResponse } from "node:http";
import type { FaultSet } from "./faults.ts";
import { NO_STORE_HEADERS } from "./http-io.ts";

/** The transport chaos faults, in the order they are looked for. */
export const TRANSPORT_CHAOS = [
  "chaos.never-answers",
  "chaos.slow-headers",
  "chaos.stalled-body",
  "chaos.trickle",
  "chaos.connection-reset",
  "chaos.closes-mid-body",
  "chaos.html-500",
  "chaos.html-503",
  "chaos.huge-body",
  "chaos.invalid-utf8",
  "chaos.not-json",
  "chaos.deep-json",
  "chaos.token-header-injection",
  "chaos.interim-100",
  "chaos.interim-flood",
  "chaos.redirect-loop",
  "chaos.redirect-other-host",
] as const;
export type TransportChaos = (typeof TRANSPORT_CHAOS)[number];

/** Size of the `chaos.huge-body` answer. */
export const HUGE_BODY_BYTES = 200 * 1024 * 1024;
/** Nesting depth of the `chaos.deep-json` answer. */
export const DEEP_JSON_LEVELS = 100_000;
/** Interim responses `chaos.interim-flood` sends (far more than a client accepts). */
const INTERIM_FLOOD = 1_000;
/** Delay before `chaos.slow-headers` answers. */
const SLOW_HEADERS_MS = 30_000;
/** Pause between the bytes of `chaos.trickle`. */
const TRICKLE_EVERY_MS = 100;

/** The transport chaos planted, if any. */
export function transportChaos(faults: FaultSet): TransportChaos | undefined {
  return TRANSPORT_CHAOS.find((name) => faults.has(name));
}

/** What a chaos answer needs to know about the conformant one it replaces. */
export interface ChaosAnswer {
  /** The conformant JSON body. */
  readonly body: Record<string, unknown>;
  /** Absolute URL of the endpoint (for the redirect loop). */
  readonly selfUrl: string;
  /** Absolute URL of the canary on another host name (for the cross-host redirect). */
  readonly canaryUrl: string;
}

/** Runs `fn` after `ms` unless the response closed first. */
function later(res: ServerResponse, ms: number, fn: () => void): void {
  const timer = setTimeout(fn, ms);
  res.once("close", () => clearTimeout(timer));
}

function jsonHead(res: ServerResponse, length: number): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": length, ...NO_STORE_HEADERS });
  res.flushHeaders();
}

function htmlPage(res: ServerResponse, status: 500 | 503): void {
  const title = status === 500 ? "500 Internal Server Error" : "503 Service Unavailable";
  const html = `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1><p>nginx</p></body></html>\n`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    ...(status === 503 ? { "retry-after": "120" } : {}),
  });
  res.end(html);
}

/** Streams `total` bytes (a JSON prefix, then filler) with backpressure; stops when the client leaves. */
function streamHuge(res: ServerResponse, total: number): void {
  const prefix = Buffer.from('{"access_token":"');
  const chunk = Buffer.alloc(64 * 1024, "A");
  let sent = 0;
  let closed = false;
  res.once("close", () => {
    closed = true;
  });
  jsonHead(res, total);
  const pump = (): void => {
    while (!closed && sent < total) {
      const piece = sent === 0 ? prefix : chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!closed) res.end();
  };
  pump();
}

/** Answers in place of a successful token response with the planted chaos. */
export function answerWithChaos(res: ServerResponse, chaos: TransportChaos, answer: ChaosAnswer): void {
  const text = JSON.stringify(answer.body);
  const bytes = Buffer.from(text);
  const socket = res.socket;
  switch (chaos) {
    case "chaos.never-answers":
      // The request was read; nothing is ever written. The server's close() destroys the socket.
      return;
    case "chaos.slow-headers":
      later(res, SLOW_HEADERS_MS, () => {
        jsonHead(res, bytes.length);
        res.end(bytes);
      });
      return;
    case "chaos.stalled-body":
      jsonHead(res, bytes.length);
      res.write(bytes.subarray(0, 20));
      return;
    case "chaos.trickle": {
      const padded = Buffer.from(`${text}${" ".repeat(100_000)}`);
      jsonHead(res, padded.length);
      let at = 0;
      const timer = setInterval(() => {
        if (at >= padded.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(padded.subarray(at, at + 1));
        at++;
      }, TRICKLE_EVERY_MS);
      res.once("close", () => clearInterval(timer));
      return;
    }
    case "chaos.connection-reset":
      socket?.resetAndDestroy();
      return;
    case "chaos.closes-mid-body":
      jsonHead(res, bytes.length * 4);
      res.write(bytes, () => socket?.destroy());
      return;
    case "chaos.html-500":
      htmlPage(res, 500);
      return;
    case "chaos.html-503":
      htmlPage(res, 503);
      return;
    case "chaos.huge-body":
      streamHuge(res, HUGE_BODY_BYTES);
      return;
    case "chaos.invalid-utf8": {
      // The access token string carries 0xFF 0xFE: never valid in UTF-8.
      const [before, after] = text.split('"access_token":"');
      const body = Buffer.concat([
        Buffer.from(`${before}"access_token":"`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(after ?? ""),
      ]);
      jsonHead(res, body.length);
      res.end(body);
      return;
    }
    case "chaos.not-json": {
      const form = new URLSearchParams(
        Object.entries(answer.body).map(([key, value]): [string, string] => [key, String(value)]),
      ).toString();
      jsonHead(res, Buffer.byteLength(form));
      res.end(form);
      return;
    }
    case "chaos.deep-json": {
      const deep = `${text.slice(0, -1)},"details":${"[".repeat(DEEP_JSON_LEVELS)}${"]".repeat(DEEP_JSON_LEVELS)}}`;
      jsonHead(res, Buffer.byteLength(deep));
      res.end(deep);
      return;
    }
    case "chaos.token-header-injection": {
      const injected = JSON.stringify({
        ...answer.body,
        access_token: `${String(answer.body["access_token"])}\r\nX-Injected: 1\u00e9\u20ac`,
      });
      jsonHead(res, Buffer.byteLength(injected));
      res.end(injected);
      return;
    }
    case "chaos.interim-100":
      res.writeContinue();
      jsonHead(res, bytes.length);
      res.end(bytes);
      return;
    case "chaos.interim-flood":
      // Interim responses only; the final one never comes. The server's close() destroys the socket.
      socket?.write("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n".repeat(INTERIM_FLOOD / 2));
      return;
    case "chaos.redirect-loop":
      res.writeHead(302, { location: answer.selfUrl, "content-length": 0, ...NO_STORE_HEADERS });
      res.end();
      return;
    case "chaos.redirect-other-host":
      res.writeHead(307, { location: answer.canaryUrl, "content-length": 0, ...NO_STORE_HEADERS });
      res.end();
      return;
  }
}
