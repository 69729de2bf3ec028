/** Who signs: a party id with its private key and its x5c certificate chain. */
import type { KeyObject } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";

/** A party the harness (or the reference target) can act as. */
export interface PartyIdentity {
  /** iSHARE party id: `EU.EORI.NL000000001` or `did:ishare:EU.NL.NTRNL-10000000`. */
  readonly partyId: string;
  /** RSA private key; never serialised into output. */
  readonly privateKey: KeyObject;
  /** x5c order: signer's certificate first, root (or the CA under a trust anchor) last. */
  readonly chain: readonly X509Certificate[];
}

/**
 * A CA that the target trusts and whose key we hold (the test PKI's issuing CA, or a user's test CA).
 * With it the harness mints certificate variants for negative cases (expired, small key, unregistered).
 */
export interface IssuerMaterial {
  readonly privateKey: KeyObject;
  /** The issuing CA certificate first, then its issuers up to the root. */
  readonly chain: readonly X509Certificate[];
}
