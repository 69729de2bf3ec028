/**
 * Trust from a participant registry (targets.yaml `trust.registry`), established once per run and cached:
 * an access token at the registry, its /trusted_list, and the target's own party record (spec digest §3.3
 * step 4, §6.2, §6.4). Trouble on the way is a RegistryError: the cases that need it are broken, once, with
 * the reason, and the target is not blamed.
 */
import type { CertificateMint } from "../assertions/index.ts";
import { allowedAlgorithms } from "../checks/index.ts";
import { lookup } from "../checks/json-path.ts";
import { isHarnessError, RegistryError } from "../errors.ts";
import type { HttpClient } from "../http/client.ts";
import { decodeJws, verifyJwsWithCertificate, x5cCertificates } from "../jwt/index.ts";
import { fieldName } from "../model/field-names.ts";
import type {
  PartyView,
  RegisteredCertificateView,
  RegistryTrust,
  TrustedCa,
} from "../model/registry-trust.ts";
import type { RegistryTrustConfig, ResolvedTarget } from "../model/target.ts";
import { verifyChain, verifyChainOnTrustedList } from "../pki/index.ts";
import { AccessTokens } from "./access-tokens.ts";
import type { Limiter } from "./limiter.ts";
import { endpointUrl } from "./request-builder.ts";
import type { SecretRegistry } from "./secrets.ts";

/** Seconds of clock skew tolerated on the registry's own JWTs. */
const SKEW_S = 30;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The registry described as a target, so the token and endpoint machinery serves it too. */
export function registryAsTarget(target: ResolvedTarget, registry: RegistryTrustConfig): ResolvedTarget {
  return {
    ...target,
    name: `${target.name}.trust.registry`,
    partyId: registry.partyId,
    version: registry.version,
    baseUrl: registry.baseUrl,
    endpoints: registry.endpoints,
  };
}

/** The registry's view of the target, fetched on first use and shared by every case of the run. */
export class RegistrySession {
  readonly #registry: RegistryTrustConfig;
  readonly #asTarget: ResolvedTarget;
  readonly #tokens: AccessTokens;
  readonly #label: string;
  #trust: Promise<RegistryTrust> | undefined;

  constructor(
    private readonly target: ResolvedTarget,
    registry: RegistryTrustConfig,
    private readonly http: HttpClient,
    private readonly limiter: Limiter,
    mint: CertificateMint,
    private readonly secrets: SecretRegistry,
    private readonly now: () => number,
  ) {
    this.#registry = registry;
    this.#asTarget = registryAsTarget(target, registry);
    this.#tokens = new AccessTokens(this.#asTarget, http, limiter, mint, secrets, now);
    this.#label = `${registry.partyId} at ${registry.baseUrl}`;
  }

  /**
   * The trusted list and the target's party record; rejects with RegistryError (the same one every time).
   * The first caller's `signal` bounds the exchanges that establish it (the run prepares it, bounded like a case).
   */
  trust(signal?: AbortSignal): Promise<RegistryTrust> {
    this.#trust ??= this.#establish(signal);
    return this.#trust;
  }

  async #establish(signal: AbortSignal | undefined): Promise<RegistryTrust> {
    const where = `targets.${this.target.name}.trust.registry (${this.#label})`;
    try {
      let token: string;
      try {
        token = await this.#tokens.get(this.#asTarget.client, signal);
      } catch (error) {
        throw new RegistryError(`${where}: obtaining an access token there: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const trustedList = await this.#trustedList(token, where, signal);
      const party = await this.#party(token, trustedList, where, signal);
      return {
        registry: this.#label,
        trustedList,
        partyId: this.target.partyId,
        ...(party ? { party } : {}),
        ...(this.target.anchors.length === 0 ? { selfTrusted: true } : {}),
      };
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      const message = isHarnessError(error) ? error.message : String(error);
      throw new RegistryError(`${where}: ${message}`, { cause: error });
    }
  }

  /** GETs `url` with the token and returns the payload of the signed member `member`, verified. */
  async #signedPayload(
    url: string,
    token: string,
    member: string,
    where: string,
    trustedList: readonly TrustedCa[] | "self",
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const response = await this.limiter.run(() =>
      this.http.send(
        {
          method: "GET",
          url,
          headers: { accept: "application/json", authorization: `Bearer ${token}` },
        },
        { signal },
      ),
    );
    const body = this.secrets.redact(response.bodyText.slice(0, 200));
    if (response.status !== 200)
      throw new RegistryError(`${where}: GET ${url} answered ${response.status} (${body})`);
    let json: unknown;
    try {
      json = JSON.parse(response.bodyText);
    } catch {
      throw new RegistryError(
        `${where}: GET ${url} did not answer JSON (body starts ${JSON.stringify(body)})`,
      );
    }
    const compact = isObject(json) ? json[member] : undefined;
    if (typeof compact !== "string")
      throw new RegistryError(`${where}: GET ${url} answered no "${member}" string`);
    const decoded = decodeJws(compact);
    if (!decoded.ok)
      throw new RegistryError(`${where}: ${member} from ${url} is not a JWS: ${decoded.message}`);
    const problem = await this.#jwtProblem(compact, decoded.header, decoded.payload, trustedList);
    if (problem) throw new RegistryError(`${where}: ${member} from ${url} cannot be trusted: ${problem}`);
    return decoded.payload;
  }

  /** Why the registry's own JWT is not acceptable, or undefined: signature, issuer, time, chain. */
  async #jwtProblem(
    compact: string,
    header: Record<string, unknown>,
    payload: Record<string, unknown>,
    trustedList: readonly TrustedCa[] | "self",
  ): Promise<string | undefined> {
    const certs = x5cCertificates(header);
    if (!certs.ok) return certs.message;
    const leaf = certs.certs[0]!;
    const signature = await verifyJwsWithCertificate(
      compact,
      leaf,
      allowedAlgorithms(this.#registry.version),
    );
    if (!signature.ok) return signature.message;
    if (payload["iss"] !== this.#registry.partyId)
      return `iss is ${JSON.stringify(payload["iss"])}, not the registry's ${this.#registry.partyId}`;
    const exp = payload["exp"];
    const nowS = Math.floor(this.now() / 1000);
    if (typeof exp !== "number" || exp < nowS - SKEW_S)
      return `exp ${JSON.stringify(exp)} has passed (now ${nowS})`;
    const at = new Date(this.now());
    // Anchors configured beside the registry pin its signature; otherwise its chain must be on its own list.
    const chain =
      this.target.anchors.length > 0
        ? await verifyChain(certs.certs, this.target.anchors, at)
        : trustedList === "self"
          ? await verifyChainOnTrustedList(certs.certs, parseTrustedList(payload, this.#registry), at)
          : await verifyChainOnTrustedList(certs.certs, trustedList, at);
    return chain.ok ? undefined : chain.message;
  }

  async #trustedList(token: string, where: string, signal: AbortSignal | undefined): Promise<TrustedCa[]> {
    const version = this.#registry.version;
    const url = endpointUrl(this.#asTarget, "trustedList");
    const payload = await this.#signedPayload(
      url,
      token,
      fieldName(version, "trusted_list_token"),
      where,
      "self",
      signal,
    );
    const list = parseTrustedList(payload, this.#registry);
    if (list.length === 0)
      throw new RegistryError(`${where}: the trusted list from ${url} is empty or unreadable`);
    return list;
  }

  async #party(
    token: string,
    trustedList: readonly TrustedCa[],
    where: string,
    signal: AbortSignal | undefined,
  ): Promise<PartyView | undefined> {
    const version = this.#registry.version;
    const query = new URLSearchParams({ [fieldName(version, "eori")]: this.target.partyId }).toString();
    const base = endpointUrl(this.#asTarget, "parties");
    const url = `${base}${base.includes("?") ? "&" : "?"}${query}`;
    const payload = await this.#signedPayload(
      url,
      token,
      fieldName(version, "parties_token"),
      where,
      trustedList,
      signal,
    );
    const data = lookup(payload, `${fieldName(version, "parties_info")}.data`);
    if (!data.found || !Array.isArray(data.value)) {
      throw new RegistryError(
        `${where}: the parties answer from ${url} holds no ${fieldName(version, "parties_info")}.data array`,
      );
    }
    const idName = fieldName(version, "party_id");
    const record = data.value.find(
      (r) =>
        isObject(r) &&
        (r[idName] === this.target.partyId ||
          (Array.isArray(r["alsoKnownAs"]) && r["alsoKnownAs"].includes(this.target.partyId))),
    );
    return isObject(record) ? partyView(record, idName) : undefined;
  }
}

/** The trusted-list entries of a trusted_list_token payload, in the registry version's names. */
export function parseTrustedList(
  payload: Record<string, unknown>,
  registry: { version: RegistryTrustConfig["version"] },
): TrustedCa[] {
  const entries = payload[fieldName(registry.version, "trusted_list")];
  if (!Array.isArray(entries)) return [];
  const fingerprint = fieldName(registry.version, "certificate_fingerprint");
  return entries.filter(isObject).map((entry) => ({
    subject: String(entry["subject"] ?? ""),
    fingerprint: typeof entry[fingerprint] === "string" ? (entry[fingerprint] as string) : "",
    validity: String(entry["validity"] ?? ""),
    status: String(entry["status"] ?? ""),
  }));
}

/**
 * The trust fields of a 3.0 party of claims (OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0, `components.schemas.party`,
 * `claimFrameworkCompliance`, `claimX509Certificate`): adherence is the iSHARE frameworkCompliance claim (status
 * `active` read as Active, startDate / endDate), the registered certificates are the x509Certificate claims that
 * are not revoked (x5c an array, signer first; a single string is read too, as in the document's examples).
 */
function partyView30(record: Record<string, unknown>, claims: readonly unknown[]): PartyView {
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const objects = claims.filter(isObject);
  const compliance =
    objects.find((c) => c["type"] === "frameworkCompliance" && c["frameworkId"] === "iSHARE") ??
    objects.find((c) => c["type"] === "frameworkCompliance");
  const status = compliance === undefined ? "(absent)" : String(compliance["status"] ?? "(absent)");
  const certificates: RegisteredCertificateView[] = objects
    .filter((c) => c["type"] === "x509Certificate" && c["status"] !== "revoked")
    .map((c) => {
      const x5tS256 = text(c["x5t#s256"]);
      const x5c = Array.isArray(c["x5c"]) ? text(c["x5c"][0]) : text(c["x5c"]);
      const subjectName = text(c["subjectName"]);
      return {
        ...(x5tS256 !== undefined ? { x5tS256 } : {}),
        ...(x5c !== undefined ? { x5c } : {}),
        ...(subjectName !== undefined ? { subjectName } : {}),
      };
    });
  const start = compliance ? text(compliance["startDate"]) : undefined;
  const end = compliance ? text(compliance["endDate"]) : undefined;
  return {
    partyId: String(record["id"]),
    adherenceStatus: status === "active" ? "Active" : status,
    ...(start !== undefined ? { adherenceStart: start } : {}),
    ...(end !== undefined ? { adherenceEnd: end } : {}),
    certificates,
  };
}

/** The trust fields of a party record (lenient: a field of the wrong type is simply absent). */
export function partyView(record: Record<string, unknown>, idName: string): PartyView {
  if (Array.isArray(record["claims"])) return partyView30(record, record["claims"]);
  const adherence = isObject(record["adherence"]) ? record["adherence"] : {};
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
  const certificates: RegisteredCertificateView[] = (
    Array.isArray(record["certificates"]) ? record["certificates"] : []
  )
    .filter(isObject)
    .map((c) => {
      const x5tS256 = text(c["x5t#s256"]);
      const x5c = text(c["x5c"]);
      const subjectName = text(c["subject_name"]);
      return {
        ...(x5tS256 !== undefined ? { x5tS256 } : {}),
        ...(x5c !== undefined ? { x5c } : {}),
        ...(subjectName !== undefined ? { subjectName } : {}),
      };
    });
  const start = text(adherence["start_date"]);
  const end = text(adherence["end_date"]);
  return {
    partyId: String(record[idName]),
    adherenceStatus: String(adherence["status"] ?? "(absent)"),
    ...(start !== undefined ? { adherenceStart: start } : {}),
    ...(end !== undefined ? { adherenceEnd: end } : {}),
    certificates,
  };
}
