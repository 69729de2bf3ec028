/** Mints (once per run) the replacement identities that certificate defects need. */
import type { KeyObject } from "node:crypto";
import { NotApplicableError } from "../errors.ts";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import {
  commonNameOf,
  generateRsaKeyPair,
  type MintKind,
  mintCertificate,
  untrustedIdentity,
} from "../pki/index.ts";
import { type AssertionDefect, ISSUER_DEFECTS, isCertificateDefect } from "./defects.ts";

const MINT_KIND: Readonly<Record<string, MintKind>> = {
  "expired-certificate": "expired",
  "not-yet-valid-certificate": "not-yet-valid",
  "small-key": "small-key",
  "unregistered-certificate": "fresh-key",
};

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
   *   instead of minting: the built-in reference target's registry lists them (see TestPki.registeredVariants).
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
   * The identity to sign with for `defect`.
   * @throws NotApplicableError when the defect needs a trusted CA and none was configured.
   */
  identityFor(defect: AssertionDefect, base: PartyIdentity): Promise<PartyIdentity> {
    if (!isCertificateDefect(defect)) return Promise.resolve(base);
    const preset = this.#preset[defect];
    if (preset && preset.partyId === base.partyId) return Promise.resolve(preset);
    const issuer = this.#issuer;
    if (defect !== "untrusted-root" && !issuer) {
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
      minted =
        defect === "untrusted-root"
          ? untrustedIdentity(base.partyId, name, now)
          : mintCertificate(issuer!, MINT_KIND[defect]!, base.partyId, name, now);
      minted.catch(() => this.#cache.delete(key));
      this.#cache.set(key, minted);
    }
    return minted;
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
