/**
 * Access tokens for cases that call protected endpoints (`{{token}}`): obtained once per identity through the
 * target's own token endpoint with a correct client assertion, and reused while valid. A failed attempt is not
 * repeated for every case: each case that needs that token is broken with the same reason, and a struggling
 * token endpoint is not hammered once per case.
 */
import type { CertificateMint } from "../assertions/index.ts";
import { createClientAssertion } from "../assertions/index.ts";
import { statusDetail } from "../checks/http.ts";
import { NetworkError, PreconditionError } from "../errors.ts";
import type { HttpClient } from "../http/client.ts";
import { excerpt, parseJsonBody } from "../http/json-body.ts";
import type { HttpResponse } from "../http/response.ts";
import type { PartyIdentity } from "../model/identity.ts";
import type { ResolvedTarget } from "../model/target.ts";
import type { Limiter } from "./limiter.ts";
import { endpointUrl } from "./request-builder.ts";
import type { SecretRegistry } from "./secrets.ts";

/** RFC 6749 Appendix A.12: access-token = 1*VSCHAR (%x20-7E). */
const ACCESS_TOKEN_SYNTAX = /^[\x20-\x7e]+$/;

interface Cached {
  readonly token: string;
  readonly expiresAtMs: number;
}

export class AccessTokens {
  readonly #cache = new Map<string, Promise<Cached>>();
  readonly #failed = new Map<string, unknown>();

  constructor(
    private readonly target: ResolvedTarget,
    private readonly http: HttpClient,
    private readonly limiter: Limiter,
    private readonly mint: CertificateMint,
    private readonly secrets: SecretRegistry,
    private readonly now: () => number,
    /** Told of every token obtained (the local state file keeps the client's for later runs). */
    private readonly onIssued?: (identity: PartyIdentity, token: string, expiresAtMs: number) => void,
  ) {}

  /**
   * A valid access token for `identity` (default: the client). `signal` aborts the token request itself (and
   * so fails it for every caller waiting on it): only discovery, before any case runs, passes one.
   */
  async get(identity: PartyIdentity = this.target.client, signal?: AbortSignal): Promise<string> {
    const key = identity.partyId;
    if (this.#failed.has(key)) throw this.#failed.get(key);
    const cached = this.#cache.get(key);
    if (cached) {
      const value = await cached.catch(() => undefined);
      if (value && value.expiresAtMs > this.now() + 10_000) return value.token;
    }
    const fresh = this.#obtain(identity, signal);
    this.#cache.set(key, fresh);
    fresh.catch((error: unknown) => {
      this.#cache.delete(key);
      // Given up by the caller (discovery's bound), not refused by the target: the cases ask again.
      if (!signal?.aborted) this.#failed.set(key, error);
    });
    return (await fresh).token;
  }

  async #obtain(identity: PartyIdentity, signal: AbortSignal | undefined): Promise<Cached> {
    const url = endpointUrl(this.target, "token");
    const assertion = await createClientAssertion({
      identity,
      audience: this.target.partyId,
      nowMs: this.now(),
      mint: this.mint,
    });
    this.secrets.add(assertion.jwt);
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      scope: "iSHARE",
      client_id: identity.partyId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion.jwt,
    }).toString();
    let response: HttpResponse;
    try {
      response = await this.limiter.run(() =>
        this.http.send(
          {
            method: "POST",
            url,
            headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
            body,
          },
          { signal },
        ),
      );
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      throw new PreconditionError(
        `precondition failed: obtaining an access token for ${identity.partyId}: ${error.message}`,
        { cause: error },
      );
    }
    const read = parseJsonBody(response);
    const parsed =
      read.ok && typeof read.value === "object" && read.value !== null
        ? (read.value as { access_token?: unknown; expires_in?: unknown })
        : undefined;
    const token = parsed?.access_token;
    if (response.status !== 200 || typeof token !== "string" || token === "") {
      // Worded like the checks (status-is, JSON body) so that a reason reads the same wherever it shows.
      this.secrets.addTokensIn(response.bodyText);
      const why =
        response.status !== 200
          ? `expected HTTP status 200, saw ${response.status}${statusDetail(response)} ` +
            `(body ${JSON.stringify(excerpt(this.secrets.redact(response.bodyText.slice(0, 200))))})`
          : !read.ok
            ? read.message
            : `saw no access_token string in the answer`;
      throw new PreconditionError(
        `precondition failed: the target refused the valid token request: no access token for ${identity.partyId} from ${url}: ${why}`,
      );
    }
    this.secrets.add(token);
    if (!ACCESS_TOKEN_SYNTAX.test(token)) {
      const at = [...token].findIndex((c) => !ACCESS_TOKEN_SYNTAX.test(c));
      throw new PreconditionError(
        `precondition failed: could not obtain an access token for ${identity.partyId} from ${url}: the one issued cannot be sent in an ` +
          `Authorization header (a character outside VSCHAR at offset ${at}; RFC 6749 Appendix A.12): access_token: must match pattern "^[\\x20-\\x7E]+$"`,
      );
    }
    const seconds = typeof parsed?.expires_in === "number" ? parsed.expires_in : 3600;
    const expiresAtMs = this.now() + seconds * 1000;
    this.onIssued?.(identity, token, expiresAtMs);
    return { token, expiresAtMs };
  }
}
