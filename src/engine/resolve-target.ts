/**
 * Turns an external target's configuration into a ResolvedTarget: reads keys and certificates, and rejects
 * inconsistent material up front (key not matching its certificate, chain out of order) as ConfigError.
 */
import type { X509Certificate } from "@peculiar/x509";
import { defectIdentityKey } from "../assertions/certificate-mint.ts";
import { loadMaskFile, loadPolicyRequestFile } from "../config/delegation-masks.ts";
import { resolveOidcSetup } from "../config/oidc-setup.ts";
import {
  CREDENTIAL_DEFECTS,
  type CredentialKey,
  type ExternalTargetConfig,
  type HttpConfig,
  type IdentityConfig,
  type TargetsFile,
} from "../config/targets.ts";
import { ConfigError } from "../errors.ts";
import { DEFAULT_HTTP_OPTIONS } from "../http/client.ts";
import type { IssuerMaterial, PartyIdentity } from "../model/identity.ts";
import type {
  ClientTls,
  DelegationSetup,
  HttpOptions,
  RegistryTrustConfig,
  ResolvedTarget,
  Role,
} from "../model/target.ts";
import {
  EXTRA_NAME_OIDS,
  type KeyTypes,
  keyMatchesCertificate,
  MAX_CHAIN_LENGTH,
  readCertificateFile,
  readPrivateKeyFile,
  toPem,
} from "../pki/index.ts";
import { oidcEndpointKeys } from "./oidc/endpoint-keys.ts";

export const DEFAULT_CONCURRENCY = 4;

/** Requests per second sent to an external target unless targets.yaml says otherwise (polite to production). */
export const DEFAULT_RATE_LIMIT = 10;

/**
 * Runs `read` (which reads `path`) and puts the configuration key that named the file into any ConfigError
 * it throws: `<path> (targets.x.client.key in <targets file>): <problem>; <fix>`.
 */
export async function namingKeyPath<T>(
  read: () => Promise<T> | T,
  path: string,
  keyPath: string,
  targetsFile: string,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof ConfigError) || error.message.includes(`(${keyPath}`)) throw error;
    const where = `${path} (${keyPath} in ${targetsFile})`;
    const message = error.message.startsWith(`${path}: `)
      ? `${where}: ${error.message.slice(path.length + 2)}`
      : `${where}: ${error.message}`;
    throw new ConfigError(error.code as "KEY" | "CERTIFICATE", message, { cause: error.cause });
  }
}

/** Reads the mutual-TLS client certificate and key of http.tls, checking that they belong together. */
async function loadClientTls(
  tls: NonNullable<HttpConfig["tls"]>,
  at: string,
  targetsFile: string,
): Promise<ClientTls> {
  const chain = await namingKeyPath(
    () => readCertificateFile(tls.certificate),
    tls.certificate,
    `${at}.certificate`,
    targetsFile,
  );
  const key = await namingKeyPath(
    () => readPrivateKeyFile(tls.key, tls.keyPassphrase),
    tls.key,
    `${at}.key`,
    targetsFile,
  );
  if (!keyMatchesCertificate(key, chain[0]!)) {
    throw new ConfigError(
      "KEY",
      `${tls.key} (${at}.key in ${targetsFile}): this key does not match the first certificate in ${tls.certificate} ` +
        `(${chain[0]!.subject}); put the TLS client certificate first, or point tls.key at its key`,
    );
  }
  return { certificatePem: chain.map(toPem).join(""), key, source: at };
}

/**
 * Merges the defaults with a target's http settings and reads the files they name (extra CAs, mutual-TLS
 * certificate and key). `at` is the target's key path (`targets.my-ar`), `rateLimit` its requests per second.
 */
export async function resolveHttpOptions(
  file: TargetsFile,
  own: HttpConfig | undefined,
  at: string,
  rateLimit: number,
): Promise<HttpOptions> {
  const merged = { ...file.defaults.http, ...own };
  const keyOf = (name: "extraCa" | "tls"): string =>
    own?.[name] !== undefined ? `${at}.http.${name}` : `defaults.http.${name}`;
  const extraCa = merged.extraCa;
  let extraCaPem: string[] = [];
  if (extraCa !== undefined) {
    // Parsed once to reject a file that holds no certificate; node:tls gets the PEM text.
    const certificates = await namingKeyPath(
      () => readCertificateFile(extraCa),
      extraCa,
      keyOf("extraCa"),
      file.file,
    );
    extraCaPem = [certificates.map(toPem).join("")];
  }
  const clientTls = merged.tls ? await loadClientTls(merged.tls, keyOf("tls"), file.file) : undefined;
  return {
    connectTimeoutMs: merged.connectTimeoutMs ?? DEFAULT_HTTP_OPTIONS.connectTimeoutMs,
    headersTimeoutMs: merged.headersTimeoutMs ?? DEFAULT_HTTP_OPTIONS.headersTimeoutMs,
    bodyTimeoutMs: merged.bodyTimeoutMs ?? DEFAULT_HTTP_OPTIONS.bodyTimeoutMs,
    maxBodyBytes: merged.maxBodyBytes ?? DEFAULT_HTTP_OPTIONS.maxBodyBytes,
    extraCaPem,
    insecure: merged.insecure ?? false,
    ...(merged.discoveryTimeoutMs !== undefined ? { discoveryTimeoutMs: merged.discoveryTimeoutMs } : {}),
    ...(merged.retries !== undefined && merged.retries > 0 ? { retries: merged.retries } : {}),
    ...(rateLimit > 0 ? { requestsPerSecond: rateLimit } : {}),
    ...(clientTls ? { clientTls } : {}),
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

/**
 * Reads a key and its x5c chain, checking that they belong together. `at` is the key path of the identity
 * (`targets.my-ar.client`); `targetsFile`, when given, is named in messages next to it.
 */
export async function loadIdentity(
  config: IdentityConfig,
  at: string,
  targetsFile?: string,
  checkPartyId = true,
  /** Key types the identity may have: RSA (iSHARE's RS256/384/512), EC only for the ES256 test signer. */
  keyTypes?: KeyTypes,
): Promise<PartyIdentity> {
  const inFile = targetsFile === undefined ? "" : ` in ${targetsFile}`;
  const certAt = `${config.certificates} (${at}.certificates${inFile})`;
  const chain = await namingKeyPath(
    () => readCertificateFile(config.certificates, MAX_CHAIN_LENGTH),
    config.certificates,
    `${at}.certificates`,
    targetsFile ?? "the targets file",
  );
  const leaf = chain[0];
  if (!leaf) throw new ConfigError("CERTIFICATE", `${certAt}: no certificate found`);
  assertChainOrder(chain, certAt);
  // The subject serialNumber holds the party id (the organizationIdentifier form may differ in spelling).
  const certified = leaf.subjectName.getField(EXTRA_NAME_OIDS.serialNumber)[0];
  if (checkPartyId && certified !== undefined && certified !== config.partyId) {
    throw new ConfigError(
      "CERTIFICATE",
      `${certAt}: the signing certificate is of party ${certified} (subject serialNumber), but ${at}.partyId is ${config.partyId}; ` +
        `set ${at}.partyId to ${certified}, or point ${at}.certificates at the chain of ${config.partyId}`,
    );
  }
  const privateKey = await namingKeyPath(
    () => readPrivateKeyFile(config.key, config.keyPassphrase, keyTypes),
    config.key,
    `${at}.key`,
    targetsFile ?? "the targets file",
  );
  if (!keyMatchesCertificate(privateKey, leaf)) {
    throw new ConfigError(
      "KEY",
      `${config.key} (${at}.key${inFile}): this key does not match the first certificate in ${config.certificates} ` +
        `(${leaf.subject}); put the signing certificate first, or point ${at}.key at its key`,
    );
  }
  return { partyId: config.partyId, privateKey, chain };
}

async function loadIssuer(
  config: NonNullable<ExternalTargetConfig["client"]["issuer"]>,
  at: string,
  targetsFile: string,
): Promise<IssuerMaterial> {
  // A CA certifies no party id of its own.
  const identity = await loadIdentity({ partyId: "issuer", ...config }, at, targetsFile, false);
  return { privateKey: identity.privateKey, chain: identity.chain };
}

/** Roles that serve the participant registry endpoints (spec digest §6). */
export const REGISTRY_ROLES: readonly Role[] = ["iShareSatellite", "ParticipantRegistry"];

/**
 * Endpoint paths the spec documents, used unless targets.yaml or the target's capabilities say otherwise. iSHARE
 * 3.0 (OpenAPI 3.0 at iSHAREScheme/openapi@0118ad0) serves the trusted list at `/trustedList` and the frameworks
 * (in place of 2.x `/versions`) at `/frameworks`.
 */
export function defaultEndpoints(
  roles: readonly Role[],
  version: ResolvedTarget["version"] = "2.0",
): Record<string, string> {
  const common = {
    token: "/connect/token",
    capabilities: "/capabilities",
    delegation: "/delegation",
    delegationPolicy: "/delegationPolicy",
  };
  if (!roles.some((role) => REGISTRY_ROLES.includes(role))) return common;
  return {
    ...common,
    parties: "/parties",
    ...(version === "3.0"
      ? { trustedList: "/trustedList", frameworks: "/frameworks" }
      : { trustedList: "/trusted_list", versions: "/versions" }),
    dataspaces: "/dataspaces",
    // 2.x "Create Entitled Party / Service Consumer" (3.0 creates with POST /parties).
    partyCreation: "/ep_creation",
  };
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
      trustedList:
        config.endpoints.trustedList ??
        ((config.version ?? targetVersion) === "3.0" ? "/trustedList" : "/trusted_list"),
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
    identities["serviceProvider"] = await loadIdentity(
      delegation.serviceProvider,
      `${at}.serviceProvider`,
      file,
    );
  }
  return {
    masks: {
      permit: loadMaskFile(delegation.permitMask, `${at}.permitMask`, client.partyId),
      deny: loadMaskFile(delegation.denyMask, `${at}.denyMask`, client.partyId),
    },
    denyAnswer: delegation.denyAnswer ?? "deny",
    ...(delegation.previousStepsPlacement
      ? { previousStepsPlacement: delegation.previousStepsPlacement }
      : {}),
    ...(delegation.policyRequest && delegation.refusedPolicyRequest
      ? {
          policyRequests: {
            accepted: loadPolicyRequestFile(delegation.policyRequest, `${at}.policyRequest`),
            refused: loadPolicyRequestFile(delegation.refusedPolicyRequest, `${at}.refusedPolicyRequest`),
          },
        }
      : {}),
  };
}

/** Resolves an external target (no network). */
export async function resolveExternalTarget(
  file: TargetsFile,
  config: ExternalTargetConfig,
): Promise<ResolvedTarget> {
  const at = `targets.${config.name}`;
  const client = await loadIdentity(config.client, `${at}.client`, file.file);
  const identities: Record<string, PartyIdentity> = {};
  for (const [name, identity] of Object.entries(config.identities)) {
    // identities.algEs256 (TOKEN-051's ready-made signer) holds an EC key by design.
    const keyTypes = name === defectIdentityKey("alg-es256") ? (["ec"] as const) : undefined;
    identities[name] = await loadIdentity(identity, `${at}.identities.${name}`, file.file, true, keyTypes);
  }
  const anchors: X509Certificate[] = [];
  for (const path of config.trust.anchors) {
    anchors.push(
      ...(await namingKeyPath(() => readCertificateFile(path), path, `${at}.trust.anchors`, file.file)),
    );
  }
  const issuer = config.client.issuer
    ? await loadIssuer(config.client.issuer, `${at}.client.issuer`, file.file)
    : undefined;
  const delegation = await resolveDelegation(config, client, identities, file.file);
  const oidc = config.oidc ? await resolveOidcSetup(config.oidc, config.name, file.file) : undefined;
  // Ready-made certificates of client.credentials are the identities named after their defect (identities.<defect>).
  for (const [key, credential] of Object.entries(config.client.credentials ?? {})) {
    identities[defectIdentityKey(CREDENTIAL_DEFECTS[key as CredentialKey])] = await loadIdentity(
      { partyId: client.partyId, ...credential },
      `${at}.client.credentials.${key}`,
      file.file,
    );
  }
  return {
    name: config.name,
    partyId: config.partyId,
    version: config.version,
    baseUrl: config.baseUrl,
    roles: config.roles,
    endpoints: {
      ...defaultEndpoints(config.roles, config.version),
      ...config.endpoints,
      ...(oidc ? oidcEndpointKeys(oidc) : {}),
    },
    client,
    identities,
    ...(issuer ? { issuer } : {}),
    ...(delegation ? { delegation } : {}),
    ...(oidc ? { oidc } : {}),
    ...(config.expiredToken !== undefined ? { expiredToken: config.expiredToken } : {}),
    anchors,
    ...(config.trust.registry
      ? { trustRegistry: resolveRegistry(config.trust.registry, config.version) }
      : {}),
    http: await resolveHttpOptions(
      file,
      config.http,
      at,
      config.rateLimit ?? file.defaults.rateLimit ?? DEFAULT_RATE_LIMIT,
    ),
    concurrency: config.concurrency ?? file.defaults.concurrency ?? DEFAULT_CONCURRENCY,
    source: file.file,
  };
}
