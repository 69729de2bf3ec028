/**
 * What the reference Identity Provider remembers: authorization requests waiting for a login, login sessions,
 * authorization codes (single use, bound to client and redirect_uri, 10 minutes) and the H2M access tokens
 * issued from them (revoked when their code is used again), per the iSHARE IdP authorize and token pages.
 */
import { randomBytes } from "node:crypto";

/** A validated authorization request waiting for the user to log in. */
export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string | undefined;
  readonly acr: string;
  readonly expiresAt: number;
}

/** An authorization code and what it was issued for. */
export interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly nonce: string | undefined;
  readonly acr: string;
  readonly username: string;
  /** Epoch seconds of the login. */
  readonly authTime: number;
  readonly expiresAt: number;
  used: boolean;
  /** Access tokens issued from this code (revoked on reuse). */
  readonly tokens: Set<string>;
}

/** An H2M access token: whose, for which client, until when. */
export interface H2mToken {
  readonly clientId: string;
  readonly sub: string;
  readonly expiresAt: number;
  revoked: boolean;
}

/** Lifetime of a pending authorization and of a code (RECOMMENDED maximum: 10 minutes). */
export const CODE_LIFETIME_MS = 600_000;
/** Lifetime of an H2M access token (iSHARE: expires_in should be 3600). */
export const H2M_TOKEN_LIFETIME_S = 3600;

const randomId = (): string => randomBytes(24).toString("base64url");

/** The IdP's in-memory state. */
export class IdentityProviderStore {
  readonly pending = new Map<string, PendingAuthorization>();
  /** Session cookie value → user name and login time (epoch seconds). */
  readonly sessions = new Map<string, { readonly username: string; readonly authTime: number }>();
  readonly codes = new Map<string, IssuedCode>();
  readonly tokens = new Map<string, H2mToken>();

  /** Remembers a pending request; returns its id (the callback's authzId). */
  addPending(pending: PendingAuthorization): string {
    const id = randomId();
    this.pending.set(id, pending);
    return id;
  }

  newSession(username: string, authTime: number): string {
    const id = randomId();
    this.sessions.set(id, { username, authTime });
    return id;
  }

  issueCode(code: Omit<IssuedCode, "used" | "tokens">): string {
    const value = randomId();
    this.codes.set(value, { ...code, used: false, tokens: new Set() });
    return value;
  }

  issueToken(token: H2mToken): string {
    const value = randomId();
    this.tokens.set(value, token);
    return value;
  }
}
