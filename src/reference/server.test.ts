import { generateKeyPairSync } from "node:crypto";
import { createConnection } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTestPki, type TestPki } from "../pki/index.ts";
import { send } from "./http-calls.fixture.ts";
import { MAX_REQUEST_BODY_BYTES, type ReferenceTarget, startReferenceTarget } from "./index.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
let pki: TestPki;
let target: ReferenceTarget;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
  target = await startReferenceTarget({ pki, now: () => NOW });
});
afterAll(() => target.close());

describe("reference target: server hygiene", () => {
  it("answers unknown paths with 404 JSON, non-cacheable", async () => {
    const reply = await send(`${target.baseUrl}/nope`, "GET");
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({ error: "not_found", error_description: "no endpoint at /nope" });
    expect([reply.headers["cache-control"], reply.headers["pragma"]]).toEqual(["no-store", "no-cache"]);
  });

  it("answers a malformed HTTP request with 400 JSON and closes the connection", async () => {
    const port = Number(new URL(target.baseUrl).port);
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.write("NOT HTTP AT ALL\r\n\r\n");
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(text).toContain("Cache-Control: no-store");
    expect(text.endsWith('{"error":"invalid_request","error_description":"malformed HTTP request"}')).toBe(
      true,
    );
  });

  it("refuses bodies over 1 MB with 413", async () => {
    const reply = await send(
      `${target.baseUrl}/connect/token`,
      "POST",
      { "content-type": "application/x-www-form-urlencoded" },
      "a".repeat(MAX_REQUEST_BODY_BYTES + 1),
    );
    expect(reply.status).toBe(413);
    expect(reply.json?.["error"]).toBe("invalid_request");
  });

  it("turns a handler error into 500 JSON and keeps serving", async () => {
    const broken = { ...pki, parties: { ...pki.parties, reference: { ...pki.parties.reference } } };
    // An EC key cannot sign RS256: the capabilities handler throws.
    const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    broken.parties.reference = { ...broken.parties.reference, privateKey: ecKey };
    const faulty = await startReferenceTarget({ pki: broken, now: () => NOW });
    try {
      const reply = await send(`${faulty.baseUrl}/capabilities`, "GET");
      expect([reply.status, reply.json?.["error"]]).toEqual([500, "server_error"]);
      expect((await send(`${faulty.baseUrl}/nope`, "GET")).status).toBe(404);
    } finally {
      await faulty.close();
    }
  });

  it("closes with idle keep-alive connections open, and refuses unknown faults", async () => {
    const other = await startReferenceTarget({ pki });
    const port = Number(new URL(other.baseUrl).port);
    const socket = createConnection({ host: "127.0.0.1", port });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    await other.close();
    await closed;
    expect(socket.destroyed).toBe(true);
    await expect(
      // @ts-expect-error: an unknown fault name, as a user might type it
      startReferenceTarget({ pki, faults: ["token.accepts-everything"] }),
    ).rejects.toThrow('unknown reference target fault "token.accepts-everything"');
  });
});
