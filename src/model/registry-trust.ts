/**
 * What the harness learnt from a participant registry about a target, once per run (spec digest §6.2, §6.4,
 * §8): the trusted list and the target's own party record. Checks judge the target's JWTs against it.
 */

/** One `/trusted_list` entry as the registry sent it. */
export interface TrustedCa {
  readonly subject: string;
  /** As sent; compared case-insensitively without colons. */
  readonly fingerprint: string;
  readonly validity: string;
  readonly status: string;
}

/** A certificate registered for a party: its SHA-256 thumbprint and/or the base64 DER certificate. */
export interface RegisteredCertificateView {
  readonly x5tS256?: string;
  readonly x5c?: string;
  readonly subjectName?: string;
}

/** The fields of a party record that trust decisions use. */
export interface PartyView {
  readonly partyId: string;
  readonly adherenceStatus: string;
  readonly adherenceStart?: string;
  readonly adherenceEnd?: string;
  readonly certificates: readonly RegisteredCertificateView[];
}

/** The registry's view of one target. */
export interface RegistryTrust {
  /** The registry, for messages: `EU.EORI.NL000000000 at https://registry.example.com`. */
  readonly registry: string;
  readonly trustedList: readonly TrustedCa[];
  /** The target's party id as looked up. */
  readonly partyId: string;
  /** The target's record; undefined when the registry does not know the target. */
  readonly party?: PartyView;
  /**
   * True when no trust anchor pinned the registry's own signature: its trusted_list_token was accepted because
   * it chains to a CA on the very list it carries (self-trust). The run says so in its notices.
   */
  readonly selfTrusted?: boolean;
}
