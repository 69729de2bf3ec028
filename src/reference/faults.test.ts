import { describe, expect, it } from "vitest";
import { loadSuites } from "../config/suites.ts";
import { ISHARE_VERSIONS } from "../model/target.ts";
import { JWT_CHAOS } from "./chaos-jwt.ts";
import { TRANSPORT_CHAOS } from "./chaos-transport.ts";
import { DELEGATION_ENDPOINT_STEPS } from "./delegation-endpoint.ts";
import { CHAOS_FAULTS } from "./faults/chaos.ts";
import { DELEGATION_FAULTS } from "./faults/delegation.ts";
import { TOKEN_FAULTS } from "./faults/token.ts";
import { caughtByAt, describeFaults, FAULTS, type FaultSpec, faultNames, isFaultName } from "./faults.ts";
import { TOKEN_ENDPOINT_STEPS } from "./token-endpoint.ts";

const suiteCases = new Map(loadSuites().flatMap((suite) => suite.cases.map((c) => [c.id, c] as const)));
/** Chaos faults test the harness: they name cases that fail or break, and may name none. */
const ruleFaultNames = faultNames().filter((name) => !Object.hasOwn(CHAOS_FAULTS, name));

describe("fault catalogue", () => {
  it("validates user-supplied names", () => {
    expect(isFaultName("token.accepts-expired-assertion")).toBe(true);
    expect(isFaultName("token.accepts-everything")).toBe(false);
    expect(isFaultName("toString")).toBe(false);
  });

  it("lists every fault once for the CLI, with the cases that catch it and no digest section", () => {
    const lines = describeFaults().split("\n");
    expect(lines).toHaveLength(faultNames().length);
    expect(lines.find((line) => line.startsWith("token.rejects-rs512"))).toMatch(
      /\(caught by TOKEN-002; versions 2\.1, 3\.0\)$/,
    );
    expect(lines.join("\n")).not.toMatch(/\(§[\d.]+[,;]|digest/);
  });

  it("names only cases that exist in suites/, at each version it applies to cases that run there", () => {
    for (const name of ruleFaultNames) {
      const spec: FaultSpec = FAULTS[name];
      for (const version of spec.versions ?? ISHARE_VERSIONS) {
        const caughtBy = caughtByAt(spec, version);
        expect(caughtBy.length, `${name} at ${version}`).toBeGreaterThan(0);
        for (const id of caughtBy) {
          const found = suiteCases.get(id);
          expect(found, `${name} → ${id}`).toBeDefined();
          if (found?.versions) expect(found.versions, `${name} → ${id} at ${version}`).toContain(version);
        }
      }
      for (const version of Object.keys(spec.caughtByVersion ?? {}))
        expect(spec.versions ?? ISHARE_VERSIONS, `${name}: caughtByVersion ${version}`).toContain(version);
    }
  });

  it("is wired: every token and delegation fault bends at least one step of its endpoint and steps name only real faults", () => {
    const bent = new Set<string>(
      [...TOKEN_ENDPOINT_STEPS, ...DELEGATION_ENDPOINT_STEPS].flatMap((step) => step.bentBy),
    );
    expect([...bent].every(isFaultName)).toBe(true);
    const wired = [...Object.keys(TOKEN_FAULTS), ...Object.keys(DELEGATION_FAULTS)];
    expect(wired.filter((name) => !bent.has(name))).toEqual([]);
  });

  it("is wired: every chaos fault is played by the transport, the JWT or the TLS chaos of the server", () => {
    const played = new Set<string>([
      ...TRANSPORT_CHAOS,
      ...JWT_CHAOS,
      "chaos.tls-self-signed",
      "chaos.tls-expired",
      "chaos.tls-wrong-host",
    ]);
    expect(Object.keys(CHAOS_FAULTS).filter((name) => !played.has(name))).toEqual([]);
    expect([...played].filter((name) => !isFaultName(name))).toEqual([]);
  });
});
