/** targets.yaml `oidc:`: defaults, validation errors naming the key, mask and certificate files read at start. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { resolveOidcSetup } from "./oidc-setup.ts";
import { loadTargetsFile, type OidcConfig } from "./targets.ts";

const dir = mkdtempSync(join(tmpdir(), "oidc-setup-"));

function targets(oidc: string): string {
  const file = join(dir, `targets-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `targets:
  my-idp:
    partyId: EU.EORI.NL000000005
    baseUrl: https://idp.example
    roles: [IdentityProvider]
    client: { partyId: EU.EORI.NL000000001, key: ./k.pem, certificates: ./c.pem }
    trust: { anchors: ./root.pem }
    oidc:
${oidc}
`,
  );
  return file;
}

describe("oidc: in targets.yaml", () => {
  test("fills in the documented endpoints and the form driver", async () => {
    const file = loadTargetsFile(
      targets(`      login: { username: "$\{IDP_USER}", password: "$\{IDP_PASS}" }`),
      {
        IDP_USER: "tester",
        IDP_PASS: "pw",
      },
    );
    const config = file.targets["my-idp"];
    if (config?.kind !== "external" || !config.oidc) throw new Error("expected an external target with oidc");
    const setup = await resolveOidcSetup(config.oidc, "my-idp", file.file);
    expect(setup.endpoints).toEqual({
      authorize: "/connect/authorize",
      login: "/login",
      token: "/connect/token",
      userinfo: "/connect/userinfo",
    });
    expect(setup.login).toEqual({
      driver: "form",
      fields: { username: "username", password: "password" },
      username: "tester",
      password: "pw",
    });
  });

  test("a misspelt key is a configuration error naming its path", () => {
    expect(() =>
      loadTargetsFile(targets("      login: { username: a, password: b, drivr: browser }")),
    ).toThrow(/targets\.my-idp\.oidc\.login: unknown key "drivr"/);
  });

  test("a missing userinfo mask names the file and the key", async () => {
    const oidc: OidcConfig = {
      login: { username: "a", password: "b" },
      userinfo: { permitMask: join(dir, "nope.json"), denyMask: join(dir, "nope.json") },
    };
    await expect(resolveOidcSetup(oidc, "my-idp", "targets.yaml")).rejects.toThrow(
      /nope\.json \(targets\.my-idp\.oidc\.userinfo\.permitMask in targets\.yaml\): cannot read the mask \(file not found\)/,
    );
  });
});
