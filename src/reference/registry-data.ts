/** The reference target's in-memory participant registry and trusted list, derived from the test PKI. */
import { createHash } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import type { Role } from "../model/target.ts";
import { sha256Fingerprint, sha256Thumbprint } from "../pki/fingerprint.ts";
import { subjectOf } from "../pki/names.ts";
import { toBase64Der } from "../pki/pem.ts";
import type { TestPartyRole, TestPki } from "../pki/test-pki.ts";
import { type Certificate, readCertificate } from "./certificate-judge.ts";

/** Adherence status values of a party record (spec digest §6.2). */
export type AdherenceStatus = "Active" | "Pending" | "NotActive" | "Revoked";

/** A certificate registered for a party (`certificates[]` of a party record, spec digest §6.2). */
export interface RegisteredCertificate {
  readonly subjectName: string;
  readonly certificateType: string;
  readonly enabledFrom: string;
  /** Base64 DER of the party certificate. */
  readonly x5c: string;
  /** SHA-256 of the DER certificate, lower-case hex (spec digest §8). */
  readonly x5tS256: string;
  readonly certificate: X509Certificate;
  /** The certificate with its issuers, signer first (what a correct `x5c` header carries). */
  readonly chain: readonly X509Certificate[];
}

/** One participant as the registry knows it. */
export interface RegisteredParty {
  readonly partyId: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly adherence: {
    readonly status: AdherenceStatus;
    /** ISO 8601 UTC. */
    readonly startDate: string;
    /** ISO 8601 UTC. */
    readonly endDate: string;
  };
  readonly certificates: readonly RegisteredCertificate[];
}

/** An entry of `/trusted_list` (spec digest §6.4). */
export interface TrustedListEntry {
  readonly subject: string;
  /** SHA-256 of the DER CA certificate, upper-case hex without colons. */
  readonly certificateFingerprint: string;
  readonly validity: "valid" | "invalid";
  readonly status: "granted" | "withdrawn" | "supervisionceased" | "undersupervision";
  readonly certificate: X509Certificate;
}

/** ISO 8601 UTC without milliseconds, e.g. `2024-03-01T00:00:00Z`. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** What the registry holds for each test PKI party (`unregistered` is deliberately absent). */
const REGISTERED: ReadonlyArray<{
  readonly role: Exclude<TestPartyRole, "unregistered">;
  readonly roles: readonly Role[];
  readonly status: AdherenceStatus;
}> = [
  { role: "reference", roles: ["AuthorisationRegistry", "iShareSatellite"], status: "Active" },
  { role: "client", roles: ["ServiceConsumer"], status: "Active" },
  { role: "serviceProvider", roles: ["ServiceProvider"], status: "Active" },
  { role: "entitledParty", roles: ["EntitledParty"], status: "Active" },
  { role: "notActive", roles: ["ServiceConsumer"], status: "NotActive" },
];

function registeredCertificate(chain: readonly X509Certificate[]): RegisteredCertificate {
  const certificate = chain[0];
  if (!certificate) throw new Error("cannot register an empty certificate chain");
  return {
    subjectName: subjectOf(certificate),
    certificateType: "eSeal",
    enabledFrom: isoSeconds(certificate.notBefore),
    x5c: toBase64Der(certificate),
    x5tS256: sha256Thumbprint(certificate),
    certificate,
    chain: [...chain],
  };
}

/**
 * The reference target's registry: party records (adherence, roles, registered certificates) and the
 * trusted list. Lookups by party id are exact (ids are opaque strings, spec digest §1.1).
 */
export class ReferenceRegistry {
  readonly #parties = new Map<string, RegisteredParty>();
  readonly #trustedList: readonly TrustedListEntry[];

  constructor(parties: readonly RegisteredParty[], trustedList: readonly TrustedListEntry[]) {
    for (const party of parties) this.#parties.set(party.partyId, party);
    this.#trustedList = trustedList;
  }

  /** The record of `partyId`, or undefined when the party is not registered. */
  party(partyId: string): RegisteredParty | undefined {
    return this.#parties.get(partyId);
  }

  /** Every registered party, in registration order. */
  parties(): readonly RegisteredParty[] {
    return [...this.#parties.values()];
  }

  /** The trusted list. */
  trustedList(): readonly TrustedListEntry[] {
    return this.#trustedList;
  }

  /** CA certificates a chain may end at (or be issued by): valid and granted trusted-list entries. */
  trustAnchors(): Certificate[] {
    return this.#trustedList
      .filter((entry) => entry.validity === "valid" && entry.status === "granted")
      .map((entry) => readCertificate(Buffer.from(entry.certificate.rawData)));
  }

  /** True when the DER certificate `der` is one of `party`'s registered certificates (by SHA-256 thumbprint). */
  static isRegistered(party: RegisteredParty, der: Uint8Array): boolean {
    const thumbprint = createHash("sha256").update(der).digest("hex");
    return party.certificates.some((registered) => registered.x5tS256.toLowerCase() === thumbprint);
  }

  /**
   * Registers a party created through the registry's API (2.x `/ep_creation`): a new record, or the record of
   * an id already held replaced (the creation of the same party again).
   */
  addParty(party: RegisteredParty): void {
    this.#parties.set(party.partyId, party);
  }

  /**
   * Registers one more certificate for an existing party (a party may hold several, spec digest §6.2).
   * Cases that present a deliberately defective certificate (expired, small key, untrusted root) register
   * it first, so that only the defect under test, not the certificate binding, decides the outcome.
   * @throws Error when the party is not registered or the chain is empty.
   */
  registerCertificate(partyId: string, chain: readonly X509Certificate[]): void {
    const party = this.#parties.get(partyId);
    if (!party) throw new Error(`cannot register a certificate for ${partyId}: the party is not registered`);
    const added = registeredCertificate(chain);
    if (party.certificates.some((existing) => existing.x5tS256 === added.x5tS256)) return;
    this.#parties.set(partyId, { ...party, certificates: [...party.certificates, added] });
  }
}

/**
 * The registry of a reference target built on `pki`: reference, client, serviceProvider and
 * entitledParty Active, notActive NotActive, each with its PKI certificate; the client also with
 * `pki.registeredVariants` (its expired, not-yet-valid, small-key and untrusted-root certificates), so a
 * fault that waives one certificate rule is observable on its own; `unregistered` unknown; the trusted
 * list holds the test root CA (valid, granted).
 */
export function registryFromPki(pki: TestPki): ReferenceRegistry {
  const parties = REGISTERED.map(({ role, roles, status }): RegisteredParty => {
    const party = pki.parties[role];
    const leaf = party.chain[0];
    if (!leaf) throw new Error(`test PKI party ${role} has an empty certificate chain`);
    return {
      partyId: party.partyId,
      name: party.name,
      roles,
      adherence: { status, startDate: isoSeconds(leaf.notBefore), endDate: isoSeconds(leaf.notAfter) },
      certificates: [registeredCertificate(party.chain)],
    };
  });
  const registry = new ReferenceRegistry(parties, trustedListOf(pki));
  for (const variant of Object.values(pki.registeredVariants)) {
    registry.registerCertificate(variant.partyId, variant.chain);
  }
  return registry;
}

function trustedListOf(pki: TestPki): TrustedListEntry[] {
  const root = pki.root.certificate;
  return [
    {
      subject: subjectOf(root),
      certificateFingerprint: sha256Fingerprint(root),
      validity: "valid",
      status: "granted",
      certificate: root,
    },
  ];
}
