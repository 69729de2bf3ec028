import { beforeAll, describe, expect, it } from "vitest";
import { createCertificate } from "./certificate.ts";
import { generateRsaKeyPair, type RsaKeyPair } from "./keys.ts";
import { organizationIdentifierOf, partyIdFromCertificate, partySubject, subjectOf } from "./names.ts";

const NOW = new Date("2025-01-15T12:00:00Z");
let keys: RsaKeyPair;
beforeAll(async () => {
  keys = await generateRsaKeyPair();
});

const cert = (subject: string) =>
  createCertificate({ subject, subjectKeys: keys, notBefore: NOW, notAfter: new Date(NOW.getTime() + 1000) });

describe("partySubject", () => {
  it("puts an EORI in serialNumber", () => {
    expect(partySubject("EU.EORI.NL000000001", "ABC Trucking")).toBe(
      "CN=ABC Trucking, serialNumber=EU.EORI.NL000000001, O=iSHARE Conformance Test, C=NL",
    );
  });

  it("adds organizationIdentifier for a did:ishare id", () => {
    expect(partySubject("did:ishare:EU.NL.NTRNL-10000000", "Registry")).toBe(
      "CN=Registry, serialNumber=did:ishare:EU.NL.NTRNL-10000000, organizationIdentifier=NTRNL-10000000, O=iSHARE Conformance Test, C=NL",
    );
    expect(organizationIdentifierOf("EU.EORI.NL000000001")).toBeUndefined();
  });

  it("survives names with DN special characters", async () => {
    const c = await cert(partySubject("EU.EORI.NL000000007", "Smith, Jones + Co"));
    expect(c.subjectName.getField("CN")).toEqual(["Smith, Jones + Co"]);
    expect(partyIdFromCertificate(c)).toBe("EU.EORI.NL000000007");
  });
});

describe("partyIdFromCertificate", () => {
  it("reads serialNumber first", async () => {
    const c = await cert(partySubject("did:ishare:EU.NL.NTRNL-10000000", "Registry"));
    expect(partyIdFromCertificate(c)).toBe("did:ishare:EU.NL.NTRNL-10000000");
    expect(subjectOf(c)).toContain("organizationIdentifier=NTRNL-10000000");
  });

  it("builds a did:ishare id from organizationIdentifier alone (eIDAS eSeal)", async () => {
    const c = await cert("CN=Test Participant Registry, organizationIdentifier=NTRNL-10000000, C=NL");
    expect(partyIdFromCertificate(c)).toBe("did:ishare:EU.NL.NTRNL-10000000");
  });

  it("returns undefined when the certificate carries no party id", async () => {
    expect(partyIdFromCertificate(await cert("CN=Nobody, C=NL"))).toBeUndefined();
  });
});
