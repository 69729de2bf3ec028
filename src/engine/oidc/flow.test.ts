/**
 * The hop-by-hop login flow over real sockets: it follows an IdP's redirects within its origin, submits the
 * login form (hidden fields kept, credentials filled), ends at the return endpoint, and never visits a URL
 * outside the IdP's origin (a canary server counts visits).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HttpClient } from "../../http/client.ts";
import { RETURN_PATH } from "../../model/oidc.ts";
import { runFormFlow } from "./flow.ts";
import { ReturnEndpoint } from "./return-endpoint.ts";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Generous: a loaded machine is slow, not wrong (no test here waits out a timeout).
const http = new HttpClient(
  {
    connectTimeoutMs: 20_000,
    headersTimeoutMs: 20_000,
    bodyTimeoutMs: 20_000,
    maxBodyBytes: 1_000_000,
    extraCaPem: [],
    insecure: false,
  },
  4,
);
const login = {
  driver: "form" as const,
  fields: { username: "user", password: "pass" },
  username: "alice",
  password: "s3cret-passw0rd",
};

let returns: ReturnEndpoint;
let canaryHits = 0;
let canary: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  returns = await ReturnEndpoint.start();
  canary = await serve((_req, res) => {
    canaryHits++;
    res.end("canary");
  });
});
afterAll(async () => {
  await returns.close();
  await canary.close();
  await http.close();
});

describe("runFormFlow", () => {
  test("follows the IdP's redirects, fills the login form and ends at the return endpoint", async () => {
    const seen: string[] = [];
    const idp = await serve((req, res, body) => {
      seen.push(`${req.method} ${req.url} ${req.headers.cookie ?? ""} ${body}`);
      if (req.url === "/authorize") {
        res.writeHead(302, { location: "/login?returnUrl=%2Fcallback", "set-cookie": "sid=abc; Path=/" });
        res.end();
      } else if (req.url?.startsWith("/login") && req.method === "GET") {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(
          '<form method="post" action="/login"><input type="hidden" name="csrf" value="t&amp;1">' +
            '<input name="user"><input type="password" name="pass"></form>',
        );
      } else if (req.url === "/login") {
        res.writeHead(302, { location: "/callback" });
        res.end();
      } else {
        res.writeHead(302, { location: `${returns.redirectUri}?code=c0de-value-123&state=xyz` });
        res.end();
      }
    });
    try {
      const outcome = await runFormFlow(
        { method: "POST", url: `${idp.origin}/authorize`, headers: {}, body: "x=1" },
        {
          send: (request) => http.send(request),
          returnEndpoint: returns,
          login,
          loginUrl: `${idp.origin}/login`,
          addSecret: () => {},
        },
      );
      expect(outcome.returned).toEqual({
        url: `${returns.redirectUri}?code=c0de-value-123&state=xyz`,
        path: RETURN_PATH,
        params: { code: "c0de-value-123", state: "xyz" },
      });
      expect(outcome.loginPage && outcome.loggedIn).toBe(true);
      expect(seen[2]).toBe("POST /login sid=abc csrf=t%261&user=alice&pass=s3cret-passw0rd");
      expect(returns.hitsFor("xyz")).toHaveLength(1);
      expect(outcome.hops.map((hop) => hop.status ?? hop.note)).toEqual([
        302,
        200,
        302,
        302,
        "the harness's return endpoint",
      ]);
    } finally {
      await idp.close();
    }
  });

  test("never visits a redirect outside the IdP's origin", async () => {
    const idp = await serve((_req, res) => {
      res.writeHead(302, { location: `${canary.origin}/phish` });
      res.end();
    });
    try {
      const outcome = await runFormFlow(
        { method: "POST", url: `${idp.origin}/authorize`, headers: {} },
        {
          send: (request) => http.send(request),
          returnEndpoint: returns,
          login,
          loginUrl: `${idp.origin}/login`,
          addSecret: () => {},
        },
      );
      expect(outcome.returned).toBeUndefined();
      expect(outcome.end).toContain("outside its origin");
      expect(canaryHits).toBe(0);
    } finally {
      await idp.close();
    }
  });

  test("gives up on a redirect loop with a clear reason", async () => {
    const idp = await serve((_req, res) => {
      res.writeHead(302, { location: "/again" });
      res.end();
    });
    try {
      const outcome = await runFormFlow(
        { method: "GET", url: `${idp.origin}/authorize`, headers: {} },
        {
          send: (request) => http.send(request),
          returnEndpoint: returns,
          login,
          loginUrl: `${idp.origin}/login`,
          addSecret: () => {},
        },
      );
      expect(outcome.end).toMatch(/gave up after 12 hops/);
    } finally {
      await idp.close();
    }
  });
});
