import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { NetworkError } from "../errors.ts";
import type { ClientTls, HttpOptions } from "../model/target.ts";
import { createCertificate, generateRsaKeyPair, toPem } from "../pki/index.ts";
import type { CaMaterial } from "../pki/test-pki.ts";
import { serverCertificate } from "../reference/tls-certificates.ts";
import { DEFAULT_HTTP_OPTIONS, HttpClient } from "./client.ts";
import { proxySettingsFrom, withoutCredentials } from "./dispatcher.ts";
import { firstInvalidUtf8 } from "./utf8.ts";

const FAST: HttpOptions = {
  ...DEFAULT_HTTP_OPTIONS,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 1_000,
  bodyTimeoutMs: 1_000,
};

const servers: Server[] = [];
const clients: HttpClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  for (const server of servers) server.closeAllConnections?.();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function client(options: Partial<HttpOptions> = {}, env: NodeJS.ProcessEnv = {}): HttpClient {
  const made = new HttpClient({ ...FAST, ...options }, 4, env);
  clients.push(made);
  return made;
}

const ok = (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"ok":true}');
};

let ca: CaMaterial;
let clientTls: ClientTls;
beforeAll(async () => {
  const now = Date.now();
  const [caKeys, clientKeys] = await Promise.all([generateRsaKeyPair(2048), generateRsaKeyPair(2048)]);
  const caCert = await createCertificate({
    subject: "CN=HTTP Test CA, O=Test, C=NL",
    subjectKeys: caKeys,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 86_400_000),
    ca: {},
  });
  ca = { privateKey: caKeys.privateKey, certificate: caCert };
  const clientCert = await createCertificate({
    subject: "CN=TLS Client, O=Test, C=NL",
    subjectKeys: clientKeys,
    issuer: ca,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 86_400_000),
  });
  clientTls = { certificatePem: toPem(clientCert), key: clientKeys.privateKey, source: "targets.t.http.tls" };
});

describe("TLS: verification stays on unless insecure", () => {
  test("a server certificate from an extra CA verifies; without that CA it is refused naming the fix", async () => {
    const tls = await serverCertificate("valid", ca, Date.now());
    const server = createHttpsServer(
      { cert: tls.certificatePem, key: tls.key.export({ format: "pem", type: "pkcs8" }) },
      ok,
    );
    const url = `https://127.0.0.1:${await listen(server as unknown as Server)}/x`;
    const trusted = await client({ extraCaPem: [toPem(ca.certificate)] }).send({
      method: "GET",
      url,
      headers: {},
    });
    expect(trusted.status).toBe(200);

    const refused = client().send({ method: "GET", url, headers: {} });
    await expect(refused).rejects.toThrow(NetworkError);
    await expect(refused).rejects.toThrow(
      /^GET https:\/\/127\.0\.0\.1:\d+\/x: TLS: the server certificate chain ends at a self-signed root that is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\); trust the server's CA with http\.extraCa, or pass --insecure/,
    );
    expect((await client({ insecure: true }).send({ method: "GET", url, headers: {} })).status).toBe(200);
  });

  test("mutual TLS: the client certificate is presented when configured; a server that requires one says so", async () => {
    const tls = await serverCertificate("valid", ca, Date.now());
    let seen = "";
    const server = createHttpsServer(
      {
        cert: tls.certificatePem,
        key: tls.key.export({ format: "pem", type: "pkcs8" }),
        ca: toPem(ca.certificate),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        seen = String((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? "");
        ok(req, res);
      },
    );
    const url = `https://127.0.0.1:${await listen(server as unknown as Server)}/mtls`;
    const extraCaPem = [toPem(ca.certificate)];
    const response = await client({ extraCaPem, clientTls }).send({ method: "GET", url, headers: {} });
    expect([response.status, seen]).toEqual([200, "TLS Client"]);

    const without = client({ extraCaPem }).send({ method: "GET", url, headers: {} });
    await expect(without).rejects.toThrow(/configure http\.tls|reset the connection|closed the connection/);
  });
});

describe("proxy from HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  test("requests go through the proxy (CONNECT), loopback hosts bypass it, credentials never shown", async () => {
    const target = await listen(createServer(ok));
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => {
      res.writeHead(502);
      res.end();
    });
    proxy.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      // The proxy resolves a name the harness cannot: reaching it proves the proxy was used.
      const upstream = connect(Number(port), host === "reference.test" ? "127.0.0.1" : (host ?? ""), () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    const proxyUrl = `http://user:secret@127.0.0.1:${await listen(proxy)}`;
    const env = { HTTP_PROXY: proxyUrl };
    const proxied = client({}, env);
    expect(proxied.proxy?.noProxy).toContain("127.0.0.1");

    const viaProxy = await proxied.send({
      method: "GET",
      url: `http://reference.test:${target}/x`,
      headers: {},
    });
    expect(viaProxy.status).toBe(200);
    expect(tunnels).toEqual([`reference.test:${target}`]);

    const direct = await proxied.send({ method: "GET", url: `http://127.0.0.1:${target}/x`, headers: {} });
    expect(direct.status).toBe(200);
    expect(tunnels).toHaveLength(1);

    expect(withoutCredentials(proxyUrl)).toBe(`http://***@127.0.0.1:${proxyUrl.split(":").at(-1)}`);
    expect(proxySettingsFrom({})).toBeUndefined();
    expect(proxySettingsFrom({ https_proxy: "http://p:3128", NO_PROXY: "corp.example" })).toEqual({
      httpsProxy: "http://p:3128",
      noProxy: "corp.example,localhost,127.0.0.1,::1,[::1]",
    });
  });
});

describe("politeness: rate limit and retries", () => {
  test("requestsPerSecond spaces requests out", async () => {
    const port = await listen(createServer(ok));
    const paced = client({ requestsPerSecond: 20 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        paced.send({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} }),
      ),
    );
    // 6 requests at 20/s: the 6th waits 5 × 50 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  test("idempotent requests are retried after connection resets when asked, and the retries are reported", async () => {
    let resets = 2;
    const port = await listen(
      createServer((req, res) => {
        if (resets > 0) {
          resets--;
          req.socket.resetAndDestroy();
          return;
        }
        ok(req, res);
      }),
    );
    const url = `http://127.0.0.1:${port}/`;
    const response = await client({ retries: 2 }).send({ method: "GET", url, headers: {} });
    expect(response.status).toBe(200);
    expect(response.retries).toHaveLength(2);
    expect(response.retries?.[0]).toContain("reset the connection");

    resets = 1;
    await expect(
      client({ retries: 3 }).send({ method: "POST", url, headers: {}, body: "x" }),
    ).rejects.toThrow(/reset the connection before answering \(ECONNRESET\)$/);
    resets = 5;
    await expect(client({ retries: 1 }).send({ method: "GET", url, headers: {} })).rejects.toThrow(
      /\(after 1 retry: .*reset the connection/,
    );
  });
});

describe("limits", () => {
  test("a body over the cap is cut and flagged, not buffered whole", async () => {
    const port = await listen(
      createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(Buffer.alloc(3 * 1024 * 1024, "a"));
      }),
    );
    const response = await client({ maxBodyBytes: 1024 * 1024 }).send({
      method: "GET",
      url: `http://127.0.0.1:${port}/`,
      headers: {},
    });
    expect([response.truncated, response.bodyBytes, response.maxBodyBytes]).toEqual([true, 1048576, 1048576]);
  });

  test("the caller's signal ends an exchange with the signal's reason", async () => {
    const port = await listen(createServer(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new NetworkError("TIMEOUT", "case timeout of 0.2 s reached")), 200);
    const sent = client({ headersTimeoutMs: 30_000 }).send(
      { method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} },
      { signal: controller.signal },
    );
    await expect(sent).rejects.toThrow(/: case timeout of 0\.2 s reached \(before the response headers\)$/);
  });
});

describe("firstInvalidUtf8", () => {
  test.each([
    ["valid ASCII and multi-byte", Buffer.from('{"a":"é€😀"}'), -1],
    ["a lone 0xFF", Buffer.from([0x7b, 0xff, 0x7d]), 1],
    ["an overlong encoding", Buffer.from([0x41, 0xc0, 0xaf]), 1],
    ["a truncated sequence at the end", Buffer.from([0x41, 0x42, 0xe2, 0x82]), 2],
    ["a UTF-16 surrogate", Buffer.from([0xed, 0xa0, 0x80]), 0],
  ])("%s", (_name, bytes, offset) => {
    expect(firstInvalidUtf8(bytes)).toBe(offset);
  });
});

describe("hostile header values and interim responses", () => {
  test("a header value with CR/LF or non-ASCII is refused before sending, and the pool keeps working", async () => {
    const port = await listen(createServer(ok));
    const http = client();
    const url = `http://127.0.0.1:${port}/`;
    // More refusals than the pool has connections: a leak per request would make the last request hang.
    for (const value of [
      "abc\r\nX-Injected: 1",
      "t\u00e9st",
      "t\u20acst",
      "nul\u0000",
      ...Array(8).fill("a\nb"),
    ]) {
      const refused = await http
        .send({ method: "GET", url, headers: { authorization: `Bearer ${value}` } })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(NetworkError);
      expect((refused as Error).message).toMatch(
        /not sent: the authorization header holds .* \(RFC 9110 §5\.5\)$/,
      );
    }
    const fine = await http.send({ method: "GET", url, headers: { authorization: "Bearer ok-token" } });
    expect(fine.status).toBe(200);
  });

  test("unsolicited 100 Continue and 103 Early Hints before the final answer are read past (RFC 9110 §15.2)", async () => {
    const port = await listen(
      createServer((_req, res) => {
        res.writeContinue();
        res.writeEarlyHints({ link: "</style.css>; rel=preload" });
        res.writeContinue();
        ok(_req, res);
      }),
    );
    const http = client();
    for (let i = 0; i < 3; i++) {
      const response = await http.send({
        method: "POST",
        url: `http://127.0.0.1:${port}/`,
        headers: {},
        body: "x=1",
      });
      expect([response.status, response.bodyText]).toEqual([200, '{"ok":true}']);
    }
  });

  test("a flood of interim responses ends the exchange with a message that says so", async () => {
    const port = await listen(
      createServer((req) => {
        req.socket.write("HTTP/1.1 100 Continue\r\n\r\n".repeat(500));
      }),
    );
    const failed = await client()
      .send({ method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} })
      .catch((error: unknown) => error);
    expect((failed as Error).message).toContain("more than 16 interim (1xx) responses without a final one");
  });
});
