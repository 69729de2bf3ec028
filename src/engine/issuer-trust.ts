/**
 * Whether the target can know the certificates the harness mints from `client.issuer` (expired, not yet valid,
 * 1024-bit, unregistered): a refusal of such a certificate proves the rule only if the target accepts a valid
 * certificate minted the same way. Asked once per run, with a freshly minted valid certificate for the client.
 */
import type { CertificateMint } from "../assertions/index.ts";
import { CertificateMint as Mint } from "../assertions/index.ts";
import type { HttpClient } from "../http/client.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { AccessTokens } from "./access-tokens.ts";
import type { Limiter } from "./limiter.ts";
import type { SecretRegistry } from "./secrets.ts";

export class IssuerTrust {
  #probe: Promise<string | undefined> | undefined;

  constructor(
    private readonly target: ResolvedTarget,
    private readonly http: HttpClient,
    private readonly limiter: Limiter,
    private readonly mint: CertificateMint,
    private readonly secrets: SecretRegistry,
    private readonly now: () => number,
  ) {}

  /** Undefined when minted certificates can be judged; else why not (one sentence naming the fix). */
  check(): Promise<string | undefined> {
    if (this.target.issuerTrusted !== undefined) return Promise.resolve(undefined);
    this.#probe ??= this.#ask();
    return this.#probe;
  }

  async #ask(): Promise<string | undefined> {
    const { target } = this;
    const fix = `give ready-made certificates in targets.${target.name}.client.credentials instead (see README, "Certificate cases on a real network")`;
    let identity: Awaited<ReturnType<CertificateMint["identityFor"]>>;
    try {
      identity = await this.mint.identityFor("unregistered-certificate", target.client);
    } catch (error) {
      return `${(error as Error).message}; or ${fix}`;
    }
    // Its own token cache: the minted identity has the client's party id.
    const tokens = new AccessTokens(
      target,
      this.http,
      this.limiter,
      new Mint(undefined, this.now),
      this.secrets,
      this.now,
    );
    try {
      await tokens.get(identity);
      return undefined;
    } catch (error) {
      const why = (error as Error).message.replace(/^precondition failed: /, "");
      return (
        `the target refused a valid certificate minted from client.issuer for ${target.client.partyId} (${why}), ` +
        `so it cannot know the certificates minted for this case (it accepts only registered certificates, or does not trust client.issuer) and a refusal proves nothing; ${fix}`
      );
    }
  }
}
