/**
 * Turns an external target's configuration into a ResolvedTarget: reads keys and certificates, and rejects
 * inconsistent material up front (key not matching its certificate, chain out of order) as ConfigError.
 */
import { readFileSync } from "node:fs";
import type { X509Certificate } from "@peculiar/x509";
import { loadMaskFile } from "../config/delegation-masks.ts";
import type { ExternalTargetConfig, HttpConfig, IdentityConfig, TargetsFile } from "../config/targets.ts";
import { ConfigError } from "../errors.ts";
import { DEFAULT_HTTP_OPTIONS } from "../http/client.ts";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import type {
  DelegationSetup,
  HttpOptions,
  RegistryTrustConfig,
  ResolvedTarget,
  Role,
} from "../model/target.ts";
import { keyMatchesCertificate, readCertificateFile, readPrivateKeyFile } from "../pki/index.ts";

export const DEFAULT_CONCURRENCY = 4;

/** Merges the defaults with a target's http settings. */
export function resolveHttpOptions(file: TargetsFile, own: HttpConfig | undefined): HttpOptions {
  const merged = { ...file.defaults.http, ...own };
  const extraCa = merged.extraCa;
  let extraCaPem: string[] = [];
  if (extraCa !== undefined) {
    try {
      extraCaPem = [readFileSync(extraCa, "utf8")];
    } catch (error) {
      throw new ConfigError("CERTIFICATE", `${extraCa}: cannot read http.extraCa (${String(error)})`, {
        cause: error,
      });
    }
  }
  return {
    connectTimeoutMs: merged.connectTimeoutMs ?? DEFAULT_HTTP_OPTIONS.connectTimeoutMs,
    headersTimeoutMs: merged.headersTimeoutMs ?? DEFAULT_HTTP_OPTIONS.headersTimeoutMs,
    bodyTimeoutMs: merged.bodyTimeoutMs ?? DEFAULT_HTTP_OPTIONS.bodyTimeoutMs,
    maxBodyBytes: merged.maxBodyBytes ?? DEFAULT_HTTP_OPTIONS.maxBodyBytes,
    extraCaPem,
    insecure: merged.insecure ?? false,
  };
}

/** Checks that chain[i] names chain[i + 1] as its issuer; the message says which pair is wrong. */
function assertChainOrder(chain: readonly X509Certificate[], file: string): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i]!;
    const next = chain[i + 1]!;
    if (cert.issuer !== next.subject) {
      throw new ConfigError(
        "CERTIFICATE",
        `${file}: certificates out of order: certificate ${i + 1} (${cert.subject}) is issued by "${cert.issuer}", ` +
          `but certificate ${i + 2} is "${next.subject}"; list the leaf first, then each issuer, root last`,
      );
    }
  }
}

/** Reads a key and its x5c chain, checking that they belong together. */
export async function loadIdentity(config: IdentityConfig, at: string): Promise<PartyIdentity> {
  const chain = await readCertificateFile(config.certificates);
  const leaf = chain[0];
  if (!leaf)
    throw new ConfigError("CERTIFICATE", `${config.certificates} (${at}.certificates): no certificate found`);
  assertChainOrder(chain, `${config.certificates} (${at}.certificates)`);
  const privateKey = await readPrivateKeyFile(config.key, config.keyPassphrase);
  if (!keyMatchesCertificate(privateKey, leaf)) {
    throw new ConfigError(
      "KEY",
      `${config.key} (${at}.key): this key does not match the first certificate in ${config.certificates} ` +
        `(${leaf.subject}); put the signing certificate first`,
    );
  }
  return { partyId: config.partyId, privateKey, chain };
}

async function loadIssuer(
  config: NonNullable<ExternalTargetConfig["client"]["issuer"]>,
): Promise<IssuerMaterial> {
  const identity = await loadIdentity({ partyId: "issuer", ...config }, "client.issuer");
  return { privateKey: identity.privateKey, chain: identity.chain };
}

/** Roles that serve the participant registry endpoints (spec digest §6). */
export const REGISTRY_ROLES: readonly Role[] = ["iShareSatellite", "ParticipantRegistry"];

/** Endpoint paths the spec documents, used unless targets.yaml or the target's capabilities say otherwise. */
export function defaultEndpoints(roles: readonly Role[]): Record<string, string> {
  const common = { token: "/connect/token", capabilities: "/capabilities", delegation: "/delegation" };
  if (!roles.some((role) => REGISTRY_ROLES.includes(role))) return common;
  return { ...common, parties: "/parties", trustedList: "/trusted_list", versions: "/versions" };
}

/** The `trust.registry` of a target, with the documented default paths (spec digest §3.1, §6). */
export function resolveRegistry(
  config: NonNullable<ExternalTargetConfig["trust"]["registry"]>,
  targetVersion: ResolvedTarget["version"],
): RegistryTrustConfig {
  return {
    baseUrl: config.baseUrl,
    partyId: config.partyId,
    version: config.version ?? targetVersion,
    endpoints: {
      token: config.endpoints.token ?? "/connect/token",
      parties: config.endpoints.parties ?? "/parties",
      trustedList: config.endpoints.trustedList ?? "/trusted_list",
    },
  };
}

/** Reads the delegation masks and the service provider identity of `delegation:` (ConfigError when wrong). */
async function resolveDelegation(
  config: ExternalTargetConfig,
  client: PartyIdentity,
  identities: Record<string, PartyIdentity>,
  file: string,
): Promise<DelegationSetup | undefined> {
  const delegation = config.delegation;
  if (!delegation) return undefined;
  const at = `targets.${config.name}.delegation`;
  if (delegation.serviceProvider) {
    if (identities["serviceProvider"]) {
      throw new ConfigError(
        "CONFIG",
        `${file}: ${at}.serviceProvider and targets.${config.name}.identities.serviceProvider are both set; keep one`,
      );
    }
    identities["serviceProvider"] = await loadIdentity(delegation.serviceProvider, `${at}.serviceProvider`);
  }
  return {
    masks: {
      permit: loadMaskFile(delegation.permitMask, `${at}.permitMask`, client.partyId),
      deny: loadMaskFile(delegation.denyMask, `${at}.denyMask`, client.partyId),
    },
    denyAnswer: delegation.denyAnswer ?? "deny",
  };
}

/** Resolves an external target (no network). */
export async function resolveExternalTarget(
  file: TargetsFile,
  config: ExternalTargetConfig,
): Promise<ResolvedTarget> {
  const at = `targets.${config.name}`;
  const client = await loadIdentity(config.client, `${at}.client`);
  const identities: Record<string, PartyIdentity> = {};
  for (const [name, identity] of Object.entries(config.identities)) {
    identities[name] = await loadIdentity(identity, `${at}.identities.${name}`);
  }
  const anchors: X509Certificate[] = [];
  for (const path of config.trust.anchors) anchors.push(...(await readCertificateFile(path)));
  const issuer = config.client.issuer ? await loadIssuer(config.client.issuer) : undefined;
  const delegation = await resolveDelegation(config, client, identities, file.file);
  return {
    name: config.name,
    partyId: config.partyId,
    version: config.version,
    baseUrl: config.baseUrl,
    roles: config.roles,
    endpoints: { ...defaultEndpoints(config.roles), ...config.endpoints },
    client,
    identities,
    ...(issuer ? { issuer } : {}),
    ...(delegation ? { delegation } : {}),
    ...(config.expiredToken !== undefined ? { expiredToken: config.expiredToken } : {}),
    anchors,
    ...(config.trust.registry
      ? { trustRegistry: resolveRegistry(config.trust.registry, config.version) }
      : {}),
    http: resolveHttpOptions(file, config.http),
    concurrency: config.concurrency ?? file.defaults.concurrency ?? DEFAULT_CONCURRENCY,
    source: file.file,
  };
}
