/**
 * Human pseudonyms of the reference Identity Provider (iSHARE IdP token page, "Human Pseudonym"): not
 * predictable, dependent on the user, the IdP and the Service Provider, stable for the same pair, and
 * resolvable back to the user by the IdP. An HMAC under a per-start secret, formatted as a UUID.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { FaultSet } from "../faults.ts";

/** Makes the `sub` of a user at a Service Provider. */
export class Pseudonyms {
  readonly #secret = randomBytes(32);
  readonly #idpId: string;

  constructor(idpId: string) {
    this.#idpId = idpId;
  }

  /** The pseudonym of `username` at `serviceProvider`; faults bend exactly one property. */
  of(username: string, serviceProvider: string, faults: FaultSet): string {
    if (faults.has("oidc.unstable-pseudonym")) return randomUUID();
    if (faults.has("oidc.predictable-pseudonym")) return `${username}@${serviceProvider}`;
    const forWhom = faults.has("oidc.same-pseudonym-for-every-sp") ? "" : serviceProvider;
    const hex = createHmac("sha256", this.#secret)
      .update(`${this.#idpId}\n${forWhom}\n${username}`)
      .digest("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
