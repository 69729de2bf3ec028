/**
 * Interim (1xx) responses before the final one. RFC 9110 §15.2: a client MUST be able to parse one or more
 * 1xx responses received before a final response, even when it did not expect one. undici drops the
 * connection on an unsolicited `100 Continue`, so each socket gets a small filter on its read side that
 * removes interim responses (except 101) at the start of each response, and ends the exchange with a clear
 * error after {@link MAX_INTERIM_RESPONSES} of them (a flood). undici sends one request at a time on a
 * socket, so a response starts after each new request write.
 */
import type { Duplex } from "node:stream";

/** Most interim responses accepted before one final response. */
export const MAX_INTERIM_RESPONSES = 16;
/** Largest interim response head read (bytes): larger ones are passed on for undici to judge. */
const MAX_INTERIM_HEAD_BYTES = 16 * 1024;

/** Error code of the flood error, for the network-error wording. */
export const INTERIM_FLOOD_CODE = "ISHARE_INTERIM_FLOOD";

const TEMPLATE = "HTTP/1.x 1";

/** Whether `head` (latin1) may still become, or already is, the status line of an interim response. */
function interimPrefix(head: string): "maybe" | "yes" | "no" {
  const n = Math.min(head.length, TEMPLATE.length);
  for (let i = 0; i < n; i++) {
    const expected = TEMPLATE[i];
    const c = head[i];
    if (expected === "x" ? c !== "0" && c !== "1" : c !== expected) return "no";
  }
  if (head.length < TEMPLATE.length + 3) return "maybe";
  const code = head.slice(TEMPLATE.length - 1, TEMPLATE.length + 2);
  if (!/^1\d\d$/.test(code) || code === "101") return "no";
  return "yes";
}

/** The state of one socket's filter. */
class InterimFilter {
  /** At the start of a response: interim responses are looked for. */
  armed = true;
  /** Bytes passed on since the filter was last armed (a response has begun). */
  passed = 0;
  count = 0;
  pending: Buffer = Buffer.alloc(0);

  constructor(private readonly socket: Duplex) {}

  /** A new request is being written: once the previous response has begun, the next one starts afresh. */
  onWrite(): void {
    if (this.passed > 0) {
      this.armed = true;
      this.passed = 0;
      this.count = 0;
    }
  }

  /** The bytes of `chunk` to hand to undici (possibly none yet). */
  filter(chunk: Buffer): Buffer {
    if (!this.armed) return this.pass(chunk);
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    for (;;) {
      const head = data.subarray(0, Math.min(data.length, MAX_INTERIM_HEAD_BYTES)).toString("latin1");
      const kind = interimPrefix(head);
      if (kind === "no") {
        this.armed = false;
        return this.pass(data);
      }
      const end = head.indexOf("\r\n\r\n");
      if (kind === "maybe" || end < 0) {
        if (data.length >= MAX_INTERIM_HEAD_BYTES) {
          this.armed = false;
          return this.pass(data);
        }
        this.pending = data;
        return Buffer.alloc(0);
      }
      this.count += 1;
      if (this.count > MAX_INTERIM_RESPONSES) {
        const error = new Error(
          `the target sent more than ${MAX_INTERIM_RESPONSES} interim (1xx) responses without a final one`,
        ) as Error & { code: string };
        error.code = INTERIM_FLOOD_CODE;
        this.socket.destroy(error);
        return Buffer.alloc(0);
      }
      data = data.subarray(end + 4);
      if (data.length === 0) return data;
    }
  }

  private pass(chunk: Buffer): Buffer {
    this.passed += chunk.length;
    return chunk;
  }
}

/** Installs the interim-response filter on a freshly connected socket (plain TCP or TLS). */
export function tolerateInterimResponses(socket: Duplex): void {
  const filter = new InterimFilter(socket);
  const read = socket.read.bind(socket);
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.read = (size?: number) => {
    for (;;) {
      const chunk = read(size) as Buffer | string | null;
      if (chunk === null) return null;
      const out = filter.filter(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk);
      if (out.length > 0) return out;
    }
  };
  socket.write = ((...args: unknown[]) => {
    filter.onWrite();
    return write(...args);
  }) as typeof socket.write;
}
