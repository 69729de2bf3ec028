import { describe, expect, test } from "vitest";
import type { DelegationMask } from "../delegation/index.ts";
import { HarnessError } from "../errors.ts";
import type { IshareVersion } from "../model/target.ts";
import { checkTarget } from "../test-support/check-context.ts";
import { applyEdits } from "./json-edit.ts";
import { buildRequest, mergeRequest } from "./request-builder.ts";

const mask: DelegationMask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [
      {
        policies: [
          {
            target: { resource: { type: "CONTAINER.DATA" }, actions: ["iSHARE.READ"] },
            rules: [{ effect: "Permit" }],
          },
        ],
      },
    ],
  },
};
const targetOf = (version: IshareVersion) =>
  checkTarget({
    version,
    baseUrl: "https://ar.example.com",
    endpoints: { delegation: "/delegation" },
    delegation: { masks: { permit: mask, deny: mask }, denyAnswer: "deny" },
  });
const lookup = (name: string): string | undefined =>
  ({ token: "tok", "client.id": "EU.EORI.NL000000001" })[name];
const base = {
  method: "POST",
  endpoint: "delegation",
  headers: { authorization: "Bearer {{token}}" },
  mask: "permit" as const,
};
const bodyOf = (request: { body?: string }) => JSON.parse(request.body ?? "null") as Record<string, unknown>;

describe("buildRequest with a delegation mask", () => {
  test("sends the target's mask as the JSON body, as given", () => {
    const request = buildRequest(targetOf("2.0"), base, lookup);
    expect(request.headers).toEqual({
      accept: "application/json",
      authorization: "Bearer tok",
      "content-type": "application/json",
    });
    expect(bodyOf(request)).toEqual(mask);
  });

  test("places previous_steps at the root on 2.0, inside delegationRequest on 2.1, camelCase at the root on 3.0", () => {
    const steps = { previousSteps: ["a.b.c"] };
    expect(bodyOf(buildRequest(targetOf("2.0"), base, lookup, steps))["previous_steps"]).toEqual(["a.b.c"]);
    const v21 = bodyOf(buildRequest(targetOf("2.1"), base, lookup, steps));
    expect([
      v21["previous_steps"],
      (v21["delegationRequest"] as Record<string, unknown>)["previous_steps"],
    ]).toEqual([undefined, ["a.b.c"]]);
    const v30 = bodyOf(buildRequest(targetOf("3.0"), base, lookup, steps));
    expect([
      v30["previousSteps"],
      (v30["delegationRequest"] as Record<string, unknown>)["previousSteps"],
    ]).toEqual([["a.b.c"], undefined]);
  });

  test("a 2.1 target configured with previousStepsPlacement root gets them at the root", () => {
    const v21 = targetOf("2.1");
    const rooted = { ...v21, delegation: { ...v21.delegation!, previousStepsPlacement: "root" as const } };
    const body = bodyOf(buildRequest(rooted, base, lookup, { previousSteps: ["a.b.c"] }));
    expect([
      body["previous_steps"],
      (body["delegationRequest"] as Record<string, unknown>)["previous_steps"],
    ]).toEqual([["a.b.c"], undefined]);
  });

  test("applies the base's edits, then the mutation's, rendering set values", () => {
    const template = mergeRequest(
      { ...base, edits: [{ remove: "delegationRequest.policySets[0].policies[0].target.actions" }] },
      { edits: [{ set: "delegationRequest.target.accessSubject", value: "{{client.id}}-x" }] },
    );
    const body = bodyOf(buildRequest(targetOf("2.0"), template, lookup)) as unknown as DelegationMask;
    expect(body.delegationRequest.target.accessSubject).toBe("EU.EORI.NL000000001-x");
    expect(body.delegationRequest.policySets[0]?.policies[0]?.target).toEqual({
      resource: { type: "CONTAINER.DATA" },
    });
  });

  test("a raw body in a mutation wins over the mask", () => {
    expect(buildRequest(targetOf("2.0"), mergeRequest(base, { body: "not json" }), lookup).body).toBe(
      "not json",
    );
  });

  test("a target without masks makes the case not applicable, saying what to configure", () => {
    const bare = checkTarget({ endpoints: { delegation: "/delegation" } });
    expect(() => buildRequest(bare, base, lookup)).toThrow(
      "needs a permit mask: set targets.unit.delegation.permitMask (a JSON delegation mask) in unit-test",
    );
  });
});

describe("applyEdits", () => {
  const body = { a: { list: [1, 2, 3], keep: true } };

  test("removes members and array elements, sets values, and leaves the input alone", () => {
    expect(
      applyEdits(body, [{ remove: "a.list[1]" }, { remove: "a.keep" }, { set: "a.new", value: [{ x: 1 }] }]),
    ).toEqual({ a: { list: [1, 3], new: [{ x: 1 }] } });
    expect(body).toEqual({ a: { list: [1, 2, 3], keep: true } });
  });

  test("an edit that does not fit the body is a harness error, not a silent no-op", () => {
    for (const edit of [{ remove: "a.missing" }, { remove: "b.c" }, { set: "a.list.x", value: 1 }]) {
      const error = (() => {
        try {
          applyEdits(body, [edit]);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).code).toBe("HARNESS");
    }
  });
});
