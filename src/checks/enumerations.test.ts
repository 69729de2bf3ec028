import { describe, expect, test } from "vitest";
import { checkContext } from "../test-support/check-context.ts";
import { ISHARE_ROLES_2_X, valuesAt, valuesInEnumeration, valuesMatchFormat } from "./enumerations.ts";

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const signed = (field: string, payload: unknown) =>
  checkContext({ body: { [field]: `${part({ alg: "RS256" })}.${part(payload)}.c2ln` } });

function capabilities(roles: unknown[], versions: unknown[] = ["2.0"]) {
  return signed("capabilities_token", {
    capabilities_info: {
      party_id: "EU.EORI.NL000000004",
      ishare_roles: roles.map((role) => ({ role })),
      supported_versions: versions.map((version) => ({ version, supported_features: [] })),
    },
  });
}

function parties(...roleLists: unknown[][]) {
  return signed("parties_token", {
    parties_info: {
      count: roleLists.length,
      data: roleLists.map((roles, i) => ({
        party_id: `EU.EORI.NL00000000${i}`,
        roles: roles.map((role) => ({ role })),
      })),
    },
  });
}

const capRoles = {
  from: "capabilities_token",
  at: "capabilities_info",
  path: "ishare_roles[].role",
  enumeration: "ishare-roles-2.x",
} as const;
const partyRoles = {
  from: "parties_token",
  at: "parties_info.data",
  path: "[].roles[].role",
  enumeration: "ishare-roles-2.x",
} as const;
const capVersions = {
  from: "capabilities_token",
  at: "capabilities_info",
  path: "supported_versions[].version",
  format: "version-number",
} as const;

const EXPECTED = `one of ${ISHARE_ROLES_2_X.join(", ")} (compared case-sensitively)`;

describe("enumeration checks", () => {
  test("valuesAt walks members and every item of arrays, naming where each value sits", () => {
    expect(valuesAt({ a: [{ b: 1 }, { b: 2 }, {}] }, "a[].b")).toEqual([
      { where: ".a[0].b", value: 1 },
      { where: ".a[1].b", value: 2 },
    ]);
    expect(valuesAt([{ r: [{ x: "y" }] }], "[].r[].x")).toEqual([{ where: "[0].r[0].x", value: "y" }]);
    expect(valuesAt({ a: "not an array" }, "a[].b")).toEqual([]);
  });

  test("values-in-enumeration passes known capabilities roles", async () => {
    expect(
      await valuesInEnumeration.run(capabilities(["AuthorisationRegistry", "iShareSatellite"]), capRoles),
    ).toMatchObject({ ok: true });
  });

  test("values-in-enumeration fails an unknown capabilities role, saying expected, seen and where", async () => {
    expect(
      await valuesInEnumeration.run(capabilities(["AuthorisationRegistry", "Satellite"]), capRoles),
    ).toEqual({
      ok: false,
      message: `expected every role value to be ${EXPECTED}, saw body.capabilities_token → capabilities_info.ishare_roles[1].role "Satellite"`,
    });
  });

  test("values-in-enumeration compares case-sensitively and says when only the case differs", async () => {
    expect(await valuesInEnumeration.run(capabilities(["serviceprovider"]), capRoles)).toEqual({
      ok: false,
      message: `expected every role value to be ${EXPECTED}, saw body.capabilities_token → capabilities_info.ishare_roles[0].role "serviceprovider" (differs only in case from "ServiceProvider")`,
    });
  });

  test("values-in-enumeration judges every role of every party record", async () => {
    expect(
      await valuesInEnumeration.run(parties(["ServiceConsumer"], ["EntitledParty"]), partyRoles),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await valuesInEnumeration.run(
        parties(["ServiceConsumer"], ["EntitledParty", "serviceconsumer"]),
        partyRoles,
      ),
    ).toEqual({
      ok: false,
      message: `expected every role value to be ${EXPECTED}, saw body.parties_token → parties_info.data[1].roles[1].role "serviceconsumer" (differs only in case from "ServiceConsumer")`,
    });
  });

  test("values-in-enumeration fails a role that is not a string", async () => {
    expect(await valuesInEnumeration.run(capabilities([7]), capRoles)).toMatchObject({
      ok: false,
      message: expect.stringContaining("capabilities_info.ishare_roles[0].role 7"),
    });
  });

  test("values-match-format passes dotted version numbers and fails other version values", async () => {
    expect(
      await valuesMatchFormat.run(capabilities(["ServiceProvider"], ["2.0", "1.7", "2.0.1"]), capVersions),
    ).toMatchObject({
      ok: true,
    });
    expect(await valuesMatchFormat.run(capabilities(["ServiceProvider"], ["v2.0"]), capVersions)).toEqual({
      ok: false,
      message:
        'expected every version value to be {major}.{minor} or {major}.{minor}.{patch} (digits), saw body.capabilities_token → capabilities_info.supported_versions[0].version "v2.0"',
    });
  });

  test("values-match-format with major-minor-patch wants three parts", async () => {
    const context = signed("versions_token", {
      versions_info: [{ version_name: "2.0.0" }, { version_name: "2.0" }],
    });
    expect(
      await valuesMatchFormat.run(context, {
        from: "versions_token",
        at: "versions_info",
        path: "[].version_name",
        format: "major-minor-patch",
      }),
    ).toEqual({
      ok: false,
      message:
        'expected every version_name value to be {major}.{minor}.{patch} (digits), saw body.versions_token → versions_info[1].version_name "2.0"',
    });
  });
});
