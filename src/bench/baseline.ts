/**
 * The bare baseline for the benchmark: the reference target and token-endpoint exchanges done with
 * undici + jose alone (valid client assertion, POST, read the body), no harness in between.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { SignJWT } from "jose";
import { Agent, request } from "undici";
import { generateTestPki, toBase64Der } from "../pki/index.ts";
import { startReferenceTarget } from "../reference/index.ts";

export interface BaselineTimes {
  /** PKI generation and target start (ms). */
  readonly setupMs: number;
  /** The exchanges alone (ms). */
  readonly exchangesMs: number;
  /** Exchanges answered 200. */
  readonly ok: number;
}

/** Starts a conformant reference target and performs `exchanges` token requests, `concurrency` at a time. */
export async function runBaseline(exchanges: number, concurrency: number): Promise<BaselineTimes> {
  const started = performance.now();
  const pki = await generateTestPki();
  const server = await startReferenceTarget({ pki, version: "2.0" });
  const agent = new Agent({ connections: concurrency });
  const setupMs = performance.now() - started;
  try {
    const client = pki.parties.client;
    const x5c = client.chain.map(toBase64Der);
    const tokenUrl = `${server.baseUrl}${server.endpoints["token"] ?? "/connect/token"}`;
    const exchange = async (): Promise<boolean> => {
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", x5c })
        .setIssuer(client.partyId)
        .setSubject(client.partyId)
        .setAudience(server.partyId)
        .setIssuedAt()
        .setNotBefore("0s")
        .setExpirationTime("30s")
        .sign(client.privateKey);
      const body = new URLSearchParams({
        grant_type: "client_credentials",
        scope: "iSHARE",
        client_id: client.partyId,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }).toString();
      const response = await request(tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        dispatcher: agent,
      });
      await response.body.text();
      return response.statusCode === 200;
    };
    let next = 0;
    let ok = 0;
    const begin = performance.now();
    const worker = async (): Promise<void> => {
      while (next < exchanges) {
        next += 1;
        if (await exchange()) ok += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return { setupMs, exchangesMs: performance.now() - begin, ok };
  } finally {
    await agent.close();
    await server.close();
  }
}
