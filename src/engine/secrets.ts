/**
 * Keeps the bearer tokens and client assertions a run handles, and redacts them from everything recorded:
 * each is replaced by a stable short fingerprint so a reader can still correlate requests.
 */
import { createHash } from "node:crypto";

/** The fingerprint shown in place of a secret: `[redacted sha256:1a2b3c4d]`. */
export function secretFingerprint(secret: string): string {
  return `[redacted sha256:${createHash("sha256").update(secret).digest("hex").slice(0, 8)}]`;
}

// A bearer credential after the scheme name (RFC 6750 b64token); 16+ characters so prose ("bearer token") stays.
const BEARER = /(\bBearer\s+)([A-Za-z0-9\-._~+/]{16,}=*)/gi;

/**
 * An access_token, refresh_token or id_token value in any body shape (JSON, form-encoded, broken JSON), so
 * that a token is redacted even when the body around it cannot be parsed.
 */
const TOKEN_FIELD = /\b(?:access|refresh|id)_?token["']?\s*[:=]\s*["']?([^"'&\s,;{}[\]]{8,})/gi;

/** Member names whose values (at any depth below them) are credentials. */
const TOKEN_MEMBER = /^(?:access|refresh|id)_?token$/i;

/**
 * Anything shaped like a JWS or JWT (base64url of `{"`, then two more dot-separated base64url parts):
 * redacted by shape, whether or not the harness knew it as a secret.
 */
const JWT_SHAPE = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** The user:password (or user) part of a URL: `scheme://userinfo@`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;

/** Nesting followed when looking for tokens inside a parsed body (deeper JSON is refused before parsing). */
const MAX_WALK_DEPTH = 64;

/** A JWT-shaped secret, whole (client assertions, id_tokens). */
const WHOLE_JWT = /^eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/;

/** A remembered secret with what redacting it needs, computed once. */
interface KnownSecret {
  readonly value: string;
  /** Its URL-encoded form when that differs (form bodies, query strings). */
  readonly encoded: string | undefined;
  readonly fingerprint: string;
}

export class SecretRegistry {
  /**
   * Opaque secrets (access tokens) and JWT-shaped ones (client assertions: hundreds per run) apart: a JWT
   * secret always contains "eyJ", so once the JWT-shape rule has run, a text without "eyJ" holds none of them
   * and the per-secret scan is skipped (it dominated a run's CPU time).
   */
  readonly #opaque = new Map<string, KnownSecret>();
  readonly #jwts = new Map<string, KnownSecret>();
  readonly #show: boolean;

  /** With `show` (--show-secrets) nothing is redacted. */
  constructor(show = false) {
    this.#show = show;
  }

  get showing(): boolean {
    return this.#show;
  }

  /** Remembers a secret (values shorter than 8 characters are ignored: too likely to appear by chance). */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < 8) return;
    const into = WHOLE_JWT.test(secret) ? this.#jwts : this.#opaque;
    if (into.has(secret)) return;
    const encoded = encodeURIComponent(secret);
    into.set(secret, {
      value: secret,
      encoded: encoded === secret ? undefined : encoded,
      fingerprint: secretFingerprint(secret),
    });
  }

  /** Remembers every token value found in `body` by field name, whatever the body's format. */
  addTokensIn(body: string): void {
    for (const match of body.matchAll(TOKEN_FIELD)) this.add(match[1]);
  }

  /**
   * Remembers every string under a token member (`access_token`, `id_token`, `refresh_token`, camelCase too)
   * of a parsed body, at any depth: a token in an unexpected shape (`{"access_token":{"value":"…"}}`) too.
   */
  addTokensInJson(value: unknown): void {
    const walk = (node: unknown, inToken: boolean, depth: number): void => {
      if (depth > MAX_WALK_DEPTH) return;
      if (typeof node === "string") {
        if (inToken) this.add(node);
      } else if (Array.isArray(node)) {
        for (const item of node) walk(item, inToken, depth + 1);
      } else if (node !== null && typeof node === "object") {
        for (const [key, inner] of Object.entries(node))
          walk(inner, inToken || TOKEN_MEMBER.test(key), depth + 1);
      }
    };
    walk(value, false, 0);
  }

  /**
   * `text` with every known secret, every `Bearer <token>`, every JWT-shaped string and the credentials of
   * every URL replaced by a fingerprint.
   */
  redact(text: string): string {
    if (this.#show) return text;
    let out = replaceKnown(text, this.#opaque);
    out = out
      .replace(BEARER, (_m, prefix: string, token: string) =>
        token.startsWith("[redacted") ? `${prefix}${token}` : `${prefix}${secretFingerprint(token)}`,
      )
      .replace(JWT_SHAPE, (jwt) => secretFingerprint(jwt))
      .replace(
        URL_USERINFO,
        (_m, scheme: string, userinfo: string) => `${scheme}${secretFingerprint(userinfo)}@`,
      );
    // A JWT secret the shape rule did not catch whole (glued to other characters) is still replaced.
    return out.includes("eyJ") ? replaceKnown(out, this.#jwts) : out;
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (this.#show) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}

/** `text` with each of `secrets` (and its URL-encoded form) replaced by its fingerprint. */
function replaceKnown(text: string, secrets: ReadonlyMap<string, KnownSecret>): string {
  let out = text;
  for (const secret of secrets.values()) {
    if (out.includes(secret.value)) out = out.split(secret.value).join(secret.fingerprint);
    if (secret.encoded !== undefined && out.includes(secret.encoded))
      out = out.split(secret.encoded).join(secret.fingerprint);
  }
  return out;
}
