/** Client assertion ids (jti) already accepted, kept until the assertion could no longer be valid. */

const PURGE_EVERY = 1000;

/** Remembers accepted jti values until their expiry (spec digest §2.5: never accept a JWT twice). */
export class ReplayCache {
  readonly #seen = new Map<string, number>();
  #addedSincePurge = 0;

  /** True when `jti` was accepted before and is still remembered at `nowMs`. */
  has(jti: string, nowMs: number): boolean {
    const until = this.#seen.get(jti);
    return until !== undefined && until >= nowMs;
  }

  /**
   * Remembers `jti` until `untilMs` unless it is already remembered; returns false in that case.
   * Check and insert happen without an await in between, so concurrent requests cannot both win.
   */
  tryRemember(jti: string, untilMs: number, nowMs: number): boolean {
    if (this.has(jti, nowMs)) return false;
    if (++this.#addedSincePurge >= PURGE_EVERY) this.#purge(nowMs);
    this.#seen.set(jti, untilMs);
    return true;
  }

  #purge(nowMs: number): void {
    this.#addedSincePurge = 0;
    for (const [jti, until] of this.#seen) {
      if (until < nowMs) this.#seen.delete(jti);
    }
  }
}
