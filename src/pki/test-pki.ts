/** A complete throw-away test PKI: root CA, issuing CA and the parties a conformance run needs. */
import type { KeyObject } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import {
  expiredIntermediateIdentity,
  forgedIntermediateIdentity,
  impostorIdentity,
  oddSignerIdentity,
  withUnrelatedCertificate,
} from "./attack-chains.ts";
import { createCertificate } from "./certificate.ts";
import { generateRsaKeyPair } from "./keys.ts";
import { mintCertificate, untrustedIdentity } from "./mint.ts";
import { partySubject } from "./names.ts";

/** A CA's key and certificate. */
export interface CaMaterial {
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
}

/** A party of the test PKI; `chain` is [leaf, issuing CA, root]. */
export type TestParty = PartyIdentity & { readonly name: string };

/** The roles every generated test PKI has a party for. */
export const TEST_PARTY_ROLES = [
  "reference",
  "client",
  "serviceProvider",
  "entitledParty",
  "notActive",
  "unregistered",
] as const;
export type TestPartyRole = (typeof TEST_PARTY_ROLES)[number];

/** Certificate defects for which the test PKI pre-makes a client certificate that the registry lists. */
export const REGISTERED_VARIANTS = [
  "expired-certificate",
  "not-yet-valid-certificate",
  "small-key",
  "untrusted-root",
  "impostor-leaf-root",
  "impostor-leaf-intermediate",
  "forged-intermediate",
  "ca-leaf",
  "leaf-without-signing-usage",
  "alg-es256",
  "expired-intermediate",
  "extra-unrelated-certificate",
] as const;
export type RegisteredVariant = (typeof REGISTERED_VARIANTS)[number];

/** The variants written to and read from a PKI folder (PEM files; alg-es256's key is EC, the others RSA). */
export const FILE_VARIANTS = REGISTERED_VARIANTS;

/** The key types a variant's key may have: EC for the ES256 signer, RSA for every other. */
export const variantKeyTypes = (variant: RegisteredVariant): readonly ("rsa" | "ec")[] =>
  variant === "alg-es256" ? ["ec"] : ["rsa"];

export interface TestPki {
  readonly root: CaMaterial;
  readonly issuing: CaMaterial;
  readonly parties: Readonly<Record<TestPartyRole, TestParty>>;
  /**
   * Extra certificates of the client, each with one defect, that the reference target's registry lists as
   * registered for the client. The registry binding then accepts them, so only the check that the defect
   * breaks (validity, key size, trust anchor) can reject them: this isolates each fault of the reference.
   */
  readonly registeredVariants: Readonly<Partial<Record<RegisteredVariant, PartyIdentity>>>;
}

/** Default party ids and names (the public iSHARE test network's, spec digest §11, where they exist). */
export const DEFAULT_TEST_PARTIES: Readonly<
  Record<TestPartyRole, { readonly partyId: string; readonly name: string }>
> = {
  reference: { partyId: "EU.EORI.NL000000004", name: "iSHARE Conformance Reference" },
  client: { partyId: "EU.EORI.NL000000001", name: "ABC Trucking" },
  serviceProvider: { partyId: "EU.EORI.NL000000003", name: "Warehouse 13" },
  entitledParty: { partyId: "EU.EORI.NL000000005", name: "Banana & Co" },
  notActive: { partyId: "EU.EORI.NL000000006", name: "Dormant Freight" },
  unregistered: { partyId: "EU.EORI.NL000000099", name: "Unknown Hauler" },
};

export const ROOT_CA_SUBJECT = "CN=iSHARE Conformance Test Root CA, O=iSHARE Conformance Test, C=NL";
export const ISSUING_CA_SUBJECT = "CN=iSHARE Conformance Test Issuing CA, O=iSHARE Conformance Test, C=NL";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

export interface GenerateTestPkiOptions {
  /** Reference time for validity periods (default: now). */
  readonly now?: Date;
  /** Override party ids per role (names stay the defaults). */
  readonly partyIds?: Partial<Record<TestPartyRole, string>>;
}

/**
 * Generates a fresh test PKI: root CA and issuing CA (valid now-1d .. now+10y) and one RSA-2048 party
 * certificate per role, issued by the issuing CA (valid now-1d .. now+2y). Keys are generated in parallel.
 */
export async function generateTestPki(opts: GenerateTestPkiOptions = {}): Promise<TestPki> {
  const now = opts.now ?? new Date();
  const notBefore = new Date(now.getTime() - DAY_MS);
  const [rootKeys, issuingKeys, ...partyKeys] = await Promise.all(
    [undefined, undefined, ...TEST_PARTY_ROLES].map(() => generateRsaKeyPair(2048)),
  );
  const rootCert = await createCertificate({
    subject: ROOT_CA_SUBJECT,
    subjectKeys: rootKeys!,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    ca: {},
  });
  const root: CaMaterial = { privateKey: rootKeys!.privateKey, certificate: rootCert };
  const issuingCert = await createCertificate({
    subject: ISSUING_CA_SUBJECT,
    subjectKeys: issuingKeys!,
    issuer: root,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    ca: { pathLength: 0 },
  });
  const issuing: CaMaterial = { privateKey: issuingKeys!.privateKey, certificate: issuingCert };

  const entries = await Promise.all(
    TEST_PARTY_ROLES.map(async (role, index): Promise<[TestPartyRole, TestParty]> => {
      const keys = partyKeys[index]!;
      const { name } = DEFAULT_TEST_PARTIES[role];
      const partyId = opts.partyIds?.[role] ?? DEFAULT_TEST_PARTIES[role].partyId;
      const leaf = await createCertificate({
        subject: partySubject(partyId, name),
        subjectKeys: keys,
        issuer: issuing,
        notBefore,
        notAfter: new Date(now.getTime() + 2 * YEAR_MS),
      });
      return [role, { partyId, name, privateKey: keys.privateKey, chain: [leaf, issuingCert, rootCert] }];
    }),
  );
  const parties = Object.fromEntries(entries) as Record<TestPartyRole, TestParty>;
  const client = parties.client;
  const issuer = issuerMaterial({ root, issuing });
  const attacker = (await generateRsaKeyPair(2048)).privateKey;
  const [expired, notYetValid, smallKey, untrusted, ...attacks] = await Promise.all([
    mintCertificate(issuer, "expired", client.partyId, client.name, now),
    mintCertificate(issuer, "not-yet-valid", client.partyId, client.name, now),
    mintCertificate(issuer, "small-key", client.partyId, client.name, now),
    untrustedIdentity(client.partyId, client.name, now),
    impostorIdentity(client, attacker, now, false),
    impostorIdentity(client, attacker, now, true),
    forgedIntermediateIdentity(client, attacker, now),
    oddSignerIdentity(issuer, client, "ca-leaf", now),
    oddSignerIdentity(issuer, client, "no-signing-usage", now),
    oddSignerIdentity(issuer, client, "ec-key", now),
    expiredIntermediateIdentity(client, root, issuing.privateKey, now),
    withUnrelatedCertificate(client, attacker, now),
  ]);
  const attackNames = REGISTERED_VARIANTS.slice(4);
  return {
    root,
    issuing,
    parties,
    registeredVariants: {
      "expired-certificate": expired,
      "not-yet-valid-certificate": notYetValid,
      "small-key": smallKey,
      "untrusted-root": untrusted,
      ...Object.fromEntries(attackNames.map((name, i) => [name, attacks[i]!])),
    },
  };
}

/** The test PKI's issuing CA as {@link IssuerMaterial}: its key and [issuing CA, root]. */
export function issuerMaterial(pki: Pick<TestPki, "root" | "issuing">): IssuerMaterial {
  return { privateKey: pki.issuing.privateKey, chain: [pki.issuing.certificate, pki.root.certificate] };
}
