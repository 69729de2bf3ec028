/** Mints (once per run) the replacement identities that certificate defects need. */
import type { KeyObject } from "node:crypto";
import { NotApplicableError } from "../errors.ts";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import {
  forgedIntermediateIdentity,
  impostorIdentity,
  oddSignerIdentity,
  withUnrelatedCertificate,
} from "../pki/attack-chains.ts";
import {
  commonNameOf,
  generateRsaKeyPair,
  type MintKind,
  mintCertificate,
  untrustedIdentity,
} from "../pki/index.ts";
import {
  type AssertionDefect,
  CERTIFICATE_DEFECTS,
  type CertificateDefect,
  ISSUER_DEFECTS,
  isCertificateDefect,
} from "./defects.ts";

const MINT_KIND: Readonly<Record<string, MintKind>> = {
  "expired-certificate": "expired",
  "not-yet-valid-certificate": "not-yet-valid",
  "small-key": "small-key",
  "unregistered-certificate": "fresh-key",
};

/**
 * The identities key under which a target description may give a ready-made identity for a certificate
 * defect: `expired-certificate` → `expiredCertificate` (targets.yaml `identities.expiredCertificate`).
 */
export function defectIdentityKey(defect: string): string {
  return defect.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** The ready-made certificate-defect identities among `identities`, keyed by defect name. */
export function defectIdentities(
  identities: Readonly<Record<string, PartyIdentity>>,
): Partial<Record<string, PartyIdentity>> {
  const found: Partial<Record<string, PartyIdentity>> = {};
  for (const defect of CERTIFICATE_DEFECTS) {
    const identity = identities[defectIdentityKey(defect)];
    if (identity) found[defect] = identity;
  }
  return found;
}

/**
 * Hands out the identity an assertion with a given defect is signed with: the base identity, or a minted
 * variant for certificate defects. Each variant is minted at most once per defect and party (concurrent
 * callers share one promise).
 */
export class CertificateMint {
  readonly #issuer: IssuerMaterial | undefined;
  readonly #now: () => number;
  readonly #cache = new Map<string, Promise<PartyIdentity>>();
  #freshKey: Promise<KeyObject> | undefined;

  readonly #preset: Readonly<Partial<Record<string, PartyIdentity>>>;

  /**
   * @param issuer a CA the target trusts (needed by every certificate defect except untrusted-root).
   * @param now clock in epoch milliseconds, for validity periods.
   * @param preset identities already made for some defects (keyed by defect name), used for their party
   *   instead of minting: a target description's `identities.<defect>` (see {@link defectIdentities}), e.g.
   *   certificates the target's registry lists so that only the defect decides.
   */
  constructor(
    issuer: IssuerMaterial | undefined,
    now: () => number,
    preset: Readonly<Partial<Record<string, PartyIdentity>>> = {},
  ) {
    this.#issuer = issuer;
    this.#now = now;
    this.#preset = preset;
  }

  /**
   * The identity to sign with for `defect`: a ready-made one for the party, else minted (the attack chains
   * from the party's own chain, the odd signers from the trusted CA; expired-intermediate needs the root's key
   * and so a ready-made identity).
   * @throws NotApplicableError when the defect needs a trusted CA and none was configured.
   */
  identityFor(defect: AssertionDefect, base: PartyIdentity): Promise<PartyIdentity> {
    if (!isCertificateDefect(defect)) return Promise.resolve(base);
    const preset = this.#preset[defect];
    if (preset && preset.partyId === base.partyId) return Promise.resolve(preset);
    const issuer = this.#issuer;
    if (defect === "expired-intermediate") {
      return Promise.reject(
        new NotApplicableError(
          "expired-intermediate needs the root CA's key: give identities.expiredIntermediate (the client's leaf, an expired copy of its issuing CA, the root) in targets.yaml",
        ),
      );
    }
    if ((ISSUER_DEFECTS as readonly string[]).includes(defect) && !issuer) {
      return Promise.reject(
        new NotApplicableError(
          `${defect} needs a CA the target trusts: set client.issuer (key and certificate) in targets.yaml`,
        ),
      );
    }
    const key = `${defect}\u0000${base.partyId}`;
    let minted = this.#cache.get(key);
    if (!minted) {
      const leaf = base.chain[0];
      const name = (leaf && commonNameOf(leaf)) ?? base.partyId;
      const now = new Date(this.#now());
      minted = this.#mint(defect, base, name, now, issuer);
      minted.catch(() => this.#cache.delete(key));
      this.#cache.set(key, minted);
    }
    return minted;
  }

  #mint(
    defect: CertificateDefect,
    base: PartyIdentity,
    name: string,
    now: Date,
    issuer: IssuerMaterial | undefined,
  ): Promise<PartyIdentity> {
    switch (defect) {
      case "untrusted-root":
        return untrustedIdentity(base.partyId, name, now);
      case "impostor-leaf-root":
      case "impostor-leaf-intermediate":
        return this.freshKey().then((key) =>
          impostorIdentity(base, key, now, defect === "impostor-leaf-intermediate"),
        );
      case "forged-intermediate":
        return this.freshKey().then((key) => forgedIntermediateIdentity(base, key, now));
      case "extra-unrelated-certificate":
        return this.freshKey().then((key) => withUnrelatedCertificate(base, key, now));
      case "ca-leaf":
        return oddSignerIdentity(issuer!, base, "ca-leaf", now);
      case "leaf-without-signing-usage":
        return oddSignerIdentity(issuer!, base, "no-signing-usage", now);
      case "alg-es256":
        return oddSignerIdentity(issuer!, base, "ec-key", now);
      default:
        return mintCertificate(issuer!, MINT_KIND[defect]!, base.partyId, name, now);
    }
  }

  /**
   * True when the identity for `defect` would be minted here from the issuer (not a preset or ready-made one):
   * a target can know such a certificate only if it trusts the issuer and accepts unregistered certificates.
   */
  willMint(defect: AssertionDefect, base: PartyIdentity): boolean {
    if (!(ISSUER_DEFECTS as readonly string[]).includes(defect)) return false;
    const preset = this.#preset[defect];
    return !(preset && preset.partyId === base.partyId);
  }

  /** An RSA-2048 private key that belongs to no certificate (for `wrong-key`), generated once. */
  freshKey(): Promise<KeyObject> {
    this.#freshKey ??= generateRsaKeyPair(2048).then((pair) => pair.privateKey);
    return this.#freshKey;
  }
}
