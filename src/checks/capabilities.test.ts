import { describe, expect, test } from "vitest";
import { checkContext } from "../test-support/check-context.ts";
import { capabilitiesNoRestricted, capabilitiesPublicFeature, normaliseFeatureName } from "./capabilities.ts";
import { jwtPayloadSchema } from "./jwt-payload.ts";

const feature = (name: string) => ({ id: `id-${name}`, feature: name, url: `https://ar.example/${name}` });

function capabilities(publicFeatures: unknown[], restricted?: unknown) {
  const info = {
    party_id: "EU.EORI.NL000000004",
    ishare_roles: [{ role: "AuthorisationRegistry" }],
    supported_versions: [
      {
        version: "2.0",
        supported_features: [{ public: publicFeatures, ...(restricted === undefined ? {} : { restricted }) }],
      },
    ],
  };
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const jwt = `${part({ alg: "RS256" })}.${part({ capabilities_info: info })}.c2ln`;
  return checkContext({ body: { capabilities_token: jwt } });
}

const at = { from: "capabilities_token", at: "capabilities_info" };

describe("capabilities checks", () => {
  test("feature names compare ignoring case, spaces and punctuation", () => {
    expect(["Access token", "access_token", "AccessToken"].map(normaliseFeatureName)).toEqual([
      "accesstoken",
      "accesstoken",
      "accesstoken",
    ]);
  });

  test("capabilities-public-feature finds the access-token feature under any of its spellings", async () => {
    const params = { ...at, feature: ["access token", "token"] };
    expect(
      await capabilitiesPublicFeature.run(capabilities([feature("Access_Token")]), params),
    ).toMatchObject({
      ok: true,
    });
    expect(await capabilitiesPublicFeature.run(capabilities([feature("capabilities")]), params)).toEqual({
      ok: false,
      message:
        'expected a public "access token / token" feature in body.capabilities_token → capabilities_info, saw public features ["capabilities"]',
    });
  });

  test("capabilities-no-restricted accepts absent, null or empty restricted lists and names any listed", async () => {
    for (const restricted of [undefined, null, []]) {
      expect(await capabilitiesNoRestricted.run(capabilities([], restricted), at)).toMatchObject({
        ok: true,
      });
    }
    expect(await capabilitiesNoRestricted.run(capabilities([], [feature("parties")]), at)).toEqual({
      ok: false,
      message:
        'expected no restricted features for an anonymous caller in body.capabilities_token → capabilities_info, saw supported_versions[0].supported_features[0].restricted ["parties"]',
    });
  });

  test("jwt-payload-schema validates a payload member against schemas/ and names the problem", async () => {
    const params = { ...at, schema: "capabilities-info" };
    expect(await jwtPayloadSchema.run(capabilities([feature("token")]), params)).toMatchObject({ ok: true });
    expect(await jwtPayloadSchema.run(capabilities([{ feature: "token" }]), params)).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'supported_versions[0].supported_features[0].public[0]: missing required key "id"',
      ),
    });
    expect(await jwtPayloadSchema.run(capabilities([]), { ...params, at: "nope" })).toEqual({
      ok: false,
      message: "expected nope in the payload of body.capabilities_token, saw it absent",
    });
  });
});
