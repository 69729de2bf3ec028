import { beforeAll, describe, expect, it } from "vitest";
import { generateTestPki, sha256Fingerprint, sha256Thumbprint, type TestPki } from "../pki/index.ts";
import { ReferenceRegistry, registryFromPki } from "./registry-data.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");
let pki: TestPki;

beforeAll(async () => {
  pki = await generateTestPki({ now: new Date(NOW) });
});

describe("reference registry data", () => {
  it("knows the test parties with their adherence, and not the unregistered one", () => {
    const registry = registryFromPki(pki);
    const statuses = registry.parties().map((party) => [party.partyId, party.adherence.status]);
    expect(statuses).toEqual([
      ["EU.EORI.NL000000004", "Active"],
      ["EU.EORI.NL000000001", "Active"],
      ["EU.EORI.NL000000003", "Active"],
      ["EU.EORI.NL000000005", "Active"],
      ["EU.EORI.NL000000006", "NotActive"],
    ]);
    expect(registry.party(pki.parties.unregistered.partyId)).toBeUndefined();
  });

  it("binds each party to its certificate by x5t#s256, and the client also to its defect variants", () => {
    const registry = registryFromPki(pki);
    const client = registry.party(pki.parties.client.partyId)!;
    expect(client.certificates[0]?.x5tS256).toBe(sha256Thumbprint(pki.parties.client.chain[0]!));
    expect(client.certificates).toHaveLength(1 + Object.keys(pki.registeredVariants).length);
    for (const variant of Object.values(pki.registeredVariants)) {
      expect(ReferenceRegistry.isRegistered(client, new Uint8Array(variant.chain[0]!.rawData))).toBe(true);
    }
    const serviceProvider = registry.party(pki.parties.serviceProvider.partyId)!;
    expect(
      ReferenceRegistry.isRegistered(serviceProvider, new Uint8Array(pki.parties.client.chain[0]!.rawData)),
    ).toBe(false);
  });

  it("trusts the test root CA only", () => {
    const registry = registryFromPki(pki);
    expect(
      registry.trustedList().map((entry) => [entry.certificateFingerprint, entry.validity, entry.status]),
    ).toEqual([[sha256Fingerprint(pki.root.certificate), "valid", "granted"]]);
    expect(registry.trustAnchors().map((cert) => cert.der)).toEqual([
      Buffer.from(pki.root.certificate.rawData),
    ]);
  });

  it("registers further certificates only for known parties, once each", () => {
    const registry = registryFromPki(pki);
    const { entitledParty, unregistered } = pki.parties;
    registry.registerCertificate(entitledParty.partyId, unregistered.chain);
    registry.registerCertificate(entitledParty.partyId, unregistered.chain);
    expect(registry.party(entitledParty.partyId)?.certificates).toHaveLength(2);
    expect(() => registry.registerCertificate(unregistered.partyId, unregistered.chain)).toThrow(
      "cannot register a certificate for EU.EORI.NL000000099: the party is not registered",
    );
  });
});
