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

/**
 * The capabilities payload of iSHARE's OpenAPI 3.0 document (iSHAREScheme/openapi@0118ad0,
 * components.schemas.capabilitiesResponse, example capabilitiesToken, decoded). The example names the member
 * `capabilities_info` where the document's schema (jwtPayloadCapabilitiesToken) says `capabilitiesInfo`: the
 * harness follows the schema, so the fixture is placed under `capabilitiesInfo` here.
 */
const OPENAPI_3_0_CAPABILITIES_INFO = {
  publicServices: [
    {
      identifier: "service-identifier-1",
      title: "Service Title",
      description: "Service Description",
      descriptionURL: "https://url.to/description",
      endpointURL: "https://url.to/endpoint",
      tokenEndpoint: "https://url.to/tokenendpoint",
      status: "active",
      serviceType: "framework-defined",
      version: {
        compliesWithFrameworkVersions: ["2.1"],
        compliesWithDataspaceVersions: ["1.0"],
        capabilityVersion: "3.0",
        methods: ["GET", "POST"],
      },
    },
  ],
  restrictedServices: [
    {
      identifier: "service-identifier-2",
      title: "Service Title",
      description: "Service Description",
      descriptionURL: "https://url.to/description",
      endpointURL: "https://url.to/endpoint",
      tokenEndpoint: "https://url.to/tokenendpoint",
      status: "active",
      serviceType: "dataspace-defined",
      version: {
        compliesWithFrameworkVersions: ["2.1"],
        compliesWithDataspaceVersions: ["1.0"],
        capabilityVersion: "3.0",
        methods: ["GET"],
      },
    },
  ],
};

function capabilities30(info: unknown) {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const jwt = `${part({ alg: "RS256" })}.${part({ capabilitiesInfo: info })}.c2ln`;
  return checkContext({ body: { capabilitiesToken: jwt } });
}

const at30 = { from: "capabilitiesToken", at: "capabilitiesInfo" };

describe("capabilities checks on the 3.0 capabilitiesInfo (publicServices / restrictedServices)", () => {
  test("the OpenAPI 3.0 example is valid against capabilities-info-3.0; a service without identifier is named", async () => {
    const schema = { ...at30, schema: "capabilities-info-3.0" };
    expect(await jwtPayloadSchema.run(capabilities30(OPENAPI_3_0_CAPABILITIES_INFO), schema)).toMatchObject({
      ok: true,
    });
    const { identifier: _dropped, ...noIdentifier } = OPENAPI_3_0_CAPABILITIES_INFO.publicServices[0]!;
    expect(
      await jwtPayloadSchema.run(capabilities30({ publicServices: [noIdentifier] }), schema),
    ).toMatchObject({ ok: false, message: expect.stringContaining("identifier") });
  });

  test("a public service is found by its identifier or its title", async () => {
    const info = OPENAPI_3_0_CAPABILITIES_INFO;
    for (const feature of ["service-identifier-1", "Service Title"]) {
      expect(await capabilitiesPublicFeature.run(capabilities30(info), { ...at30, feature })).toMatchObject({
        ok: true,
      });
    }
    expect(
      await capabilitiesPublicFeature.run(capabilities30(info), { ...at30, feature: "request-oauth-token" }),
    ).toMatchObject({ ok: false, message: expect.stringContaining('["service-identifier-1"]') });
  });

  test("restrictedServices shown to an anonymous caller fail capabilities-no-restricted; absent or empty pass", async () => {
    expect(
      await capabilitiesNoRestricted.run(capabilities30(OPENAPI_3_0_CAPABILITIES_INFO), at30),
    ).toMatchObject({ ok: false, message: expect.stringContaining("restrictedServices") });
    const { restrictedServices: _hidden, ...anonymous } = OPENAPI_3_0_CAPABILITIES_INFO;
    expect(await capabilitiesNoRestricted.run(capabilities30(anonymous), at30)).toMatchObject({ ok: true });
    expect(
      await capabilitiesNoRestricted.run(capabilities30({ ...anonymous, restrictedServices: [] }), at30),
    ).toMatchObject({ ok: true });
  });
});
