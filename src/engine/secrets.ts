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
 * An access_token or refresh_token value in any body shape (JSON, form-encoded, broken JSON), so that a
 * token is redacted even when the body around it cannot be parsed.
 */
const TOKEN_FIELD = /\b(?:access|refresh)_token["']?\s*[:=]\s*["']?([^"'&\s,;}\]]{8,})/g;

export class SecretRegistry {
  readonly #secrets = new Set<string>();
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
    if (secret !== undefined && secret.length >= 8) this.#secrets.add(secret);
  }

  /** Remembers every token value found in `body` by field name, whatever the body's format. */
  addTokensIn(body: string): void {
    for (const match of body.matchAll(TOKEN_FIELD)) this.add(match[1]);
  }

  /** `text` with every known secret, and every `Bearer <token>`, replaced by its fingerprint. */
  redact(text: string): string {
    if (this.#show) return text;
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(secretFingerprint(secret));
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded))
        out = out.split(encoded).join(secretFingerprint(secret));
    }
    return out.replace(BEARER, (_m, prefix: string, token: string) =>
      token.startsWith("[redacted") ? `${prefix}${token}` : `${prefix}${secretFingerprint(token)}`,
    );
  }

  /** Redacts every string inside a JSON-like value. */
  redactDeep<T>(value: T): T {
    if (this.#show) return value;
    return JSON.parse(this.redact(JSON.stringify(value))) as T;
  }
}
