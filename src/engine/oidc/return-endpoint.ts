/**
 * The harness's own Service Provider return endpoint (`/openid_connect1.0/return`, iSHARE SP return page):
 * a loopback HTTP server that lives for the run and is the redirect_uri of every authorization request. It
 * records every request it gets, on any path, so an IdP that redirects where it must not is seen. For the
 * browser driver it also serves a page that posts an authorization request form to the IdP.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { RETURN_PATH } from "../../model/oidc.ts";

/** One request that reached the return endpoint. */
export interface ReturnHit {
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly atMs: number;
}

/** Path prefix of the pages that start an authorization request in a browser. */
const START_PATH = "/openid_connect1.0/start/";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A running return endpoint. */
export class ReturnEndpoint {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #hits: ReturnHit[] = [];
  readonly #starts = new Map<string, { action: string; form: Readonly<Record<string, string>> }>();
  readonly origin: string;

  private constructor(server: Server, origin: string) {
    this.#server = server;
    this.origin = origin;
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1 (any free port). */
  static async start(): Promise<ReturnEndpoint> {
    let endpoint: ReturnEndpoint | undefined;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "GET" && url.pathname.startsWith(START_PATH) && endpoint) {
        const start = endpoint.#starts.get(url.pathname.slice(START_PATH.length));
        if (start) {
          const inputs = Object.entries(start.form)
            .map(
              ([name, value]) =>
                `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
            )
            .join("");
          const html = `<!doctype html><html><body><form id="f" method="post" action="${escapeHtml(start.action)}">${inputs}</form><script>document.getElementById("f").submit()</script></body></html>`;
          res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
          res.end(html);
          return;
        }
      }
      endpoint?.record({
        path: url.pathname,
        params: Object.fromEntries(url.searchParams),
        atMs: Date.now(),
      });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(
        "<!doctype html><title>ishare-conformance</title><p>Login complete: back to ishare-conformance.</p>",
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    endpoint = new ReturnEndpoint(server, `http://127.0.0.1:${port}`);
    return endpoint;
  }

  /** Remembers one request that reached this server. */
  record(hit: ReturnHit): void {
    this.#hits.push(hit);
  }

  /** The redirect_uri the harness puts into request objects. */
  get redirectUri(): string {
    return `${this.origin}${RETURN_PATH}`;
  }

  /** True when `url` points at this server (any path). */
  owns(url: URL): boolean {
    return url.origin === this.origin;
  }

  /** The hits whose `state` parameter is `state` (a case's own), in arrival order. */
  hitsFor(state: string): ReturnHit[] {
    return this.#hits.filter((hit) => hit.params["state"] === state);
  }

  /** A URL that, opened in a browser, posts `form` to `action` (the authorization request). */
  startPage(action: string, form: Readonly<Record<string, string>>): string {
    const id = randomBytes(12).toString("base64url");
    this.#starts.set(id, { action, form });
    return `${this.origin}${START_PATH}${id}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
