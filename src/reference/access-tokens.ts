/** Access tokens the reference target issued, so later endpoints can accept `Authorization: Bearer`. */
import { randomBytes } from "node:crypto";

/** Lifetime of issued access tokens in seconds (spec digest §3.2: "should be 3600"). */
export const ACCESS_TOKEN_LIFETIME_S = 3600;

/** What the server remembers about a token it issued. */
export interface IssuedToken {
  readonly clientId: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** The outcome of looking a presented token up. */
export type TokenLookup =
  | { readonly status: "valid"; readonly token: IssuedToken }
  | { readonly status: "expired" | "unknown" };

/** Expired tokens are kept this long (ms) to answer "expired" rather than "unknown", then dropped. */
const KEEP_EXPIRED_MS = 3_600_000;
const PURGE_EVERY = 1000;

/** In-memory store of issued opaque access tokens (32 random bytes, base64url). */
export class AccessTokenStore {
  readonly #tokens = new Map<string, IssuedToken>();
  #issuedSincePurge = 0;

  /** Issues a new token for `clientId` at `nowMs`. */
  issue(clientId: string, nowMs: number): { readonly accessToken: string; readonly expiresIn: number } {
    if (++this.#issuedSincePurge >= PURGE_EVERY) this.#purge(nowMs);
    const accessToken = randomBytes(32).toString("base64url");
    this.#tokens.set(accessToken, { clientId, expiresAt: nowMs + ACCESS_TOKEN_LIFETIME_S * 1000 });
    return { accessToken, expiresIn: ACCESS_TOKEN_LIFETIME_S };
  }

  /** Looks a presented token up at `nowMs`. */
  lookup(accessToken: string, nowMs: number): TokenLookup {
    const token = this.#tokens.get(accessToken);
    if (!token) return { status: "unknown" };
    if (token.expiresAt <= nowMs) return { status: "expired" };
    return { status: "valid", token };
  }

  #purge(nowMs: number): void {
    this.#issuedSincePurge = 0;
    for (const [key, token] of this.#tokens) {
      if (token.expiresAt + KEEP_EXPIRED_MS < nowMs) this.#tokens.delete(key);
    }
  }
}
