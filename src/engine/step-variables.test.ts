import { describe, expect, test } from "vitest";
import { checkTarget } from "../test-support/check-context.ts";
import { type StepState, variableLookup } from "./step-variables.ts";

describe("variableLookup", () => {
  const target = checkTarget({
    version: "3.0",
    identities: {
      serviceProvider: { partyId: "EU.EORI.NL000000003", privateKey: undefined as never, chain: [] },
    },
  });
  const earlier = new Map<string, StepState>([
    ["first", { assertion: "a.b.c", status: 200, json: { n: { m: [1, 2] } } }],
  ]);
  const identity = { partyId: "EU.EORI.NL000000006", privateKey: undefined as never, chain: [] };
  const get = variableLookup(
    { target, now: () => 1_700_000_000_500 },
    identity,
    { assertion: "x.y.z" },
    "tok",
    earlier,
  );

  test("resolves run, identity, step and version-dependent names", () => {
    expect(get("client.id")).toBe("EU.EORI.NL000000001");
    expect(get("target.id")).toBe("EU.EORI.NL000000004");
    expect(get("identity.id")).toBe("EU.EORI.NL000000006");
    expect(get("identities.serviceProvider.id")).toBe("EU.EORI.NL000000003");
    expect(get("assertion")).toBe("x.y.z");
    expect(get("token")).toBe("tok");
    expect(get("now")).toBe("1700000000");
    expect(get("delegation.tokenMember")).toBe("delegationToken");
    expect(get("steps.first.assertion")).toBe("a.b.c");
    expect(get("steps.first.status")).toBe("200");
    expect(get("steps.first.json.n.m")).toBe("[1,2]");
  });

  test("anything unknown is undefined, so the renderer can name it", () => {
    expect(get("steps.second.status")).toBeUndefined();
    expect(get("identities.nobody.id")).toBeUndefined();
    expect(get("client.key")).toBeUndefined();
  });
});
