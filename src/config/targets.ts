/** Loads targets.yaml: YAML → `${VAR}` substitution → schema validation → paths resolved from the file's folder. */
import { dirname, isAbsolute, resolve } from "node:path";
import type { PreviousStepsPlacement } from "../delegation/names.ts";
import { ConfigError } from "../errors.ts";
import type { DenyAnswer, IshareVersion, Role } from "../model/target.ts";
import { checkBaseUrl } from "./base-url.ts";
import { substituteEnv } from "./env.ts";
import { describeSchemaErrors, validatorFor } from "./schemas.ts";
import { readYamlFile } from "./yaml-file.ts";

export interface HttpConfig {
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Longest wait for endpoint discovery (default 30 s). */
  discoveryTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Absolute path of a PEM bundle. */
  extraCa?: string;
  insecure?: boolean;
  /** Retries of idempotent requests after connection errors (default 0). */
  retries?: number;
  /** Client certificate for mutual TLS (paths absolute after loading). */
  tls?: { certificate: string; key: string; keyPassphrase?: string };
}

/** Key + certificate files (paths absolute after loading). */
export interface IdentityConfig {
  partyId: string;
  key: string;
  keyPassphrase?: string;
  certificates: string;
}

/** `delegation:` of an external target (paths absolute after loading; masks are read when the target is resolved). */
export interface DelegationConfig {
  permitMask: string;
  denyMask: string;
  denyAnswer?: DenyAnswer;
  /** Where the previous steps go, when the target departs from its version's documented placement. */
  previousStepsPlacement?: PreviousStepsPlacement;
  serviceProvider?: IdentityConfig;
  /** JSON file: a delegationPolicyRequest the Entitled Party's authorisation rules allow (iSHARE 2.1+). */
  policyRequest?: string;
  /** JSON file: a delegationPolicyRequest those rules do not allow (the target answers 403). */
  refusedPolicyRequest?: string;
}

/** `oidc:` of an IdentityProvider target (paths absolute after loading; read when the target is resolved). */
export interface OidcConfig {
  endpoints?: { authorize?: string; login?: string; token?: string; userinfo?: string };
  login: {
    driver?: "form" | "browser";
    fields?: { username?: string; password?: string };
    username: string;
    password: string;
  };
  userinfo?: { permitMask: string; denyMask: string };
  encryptionCertificate?: string;
}

/** A ready-made key and certificate chain of the client's party (paths absolute after loading). */
export interface CredentialConfig {
  key: string;
  keyPassphrase?: string;
  certificates: string;
}

/** `client.credentials` keys and the certificate defect each one stands in for. */
export const CREDENTIAL_DEFECTS = {
  expiredCertificate: "expired-certificate",
  notYetValidCertificate: "not-yet-valid-certificate",
  smallKeyCertificate: "small-key",
  untrustedRootCertificate: "untrusted-root",
  unregisteredCertificate: "unregistered-certificate",
} as const;
export type CredentialKey = keyof typeof CREDENTIAL_DEFECTS;

export interface BuiltinTargetConfig {
  kind: "builtin";
  name: string;
  builtin: "reference";
  faults: string[];
  version: IshareVersion;
  roles?: Role[];
  /** How the OIDC cases log the reference IdP's test user in (default form). */
  loginDriver?: "form" | "browser";
  concurrency?: number;
  rateLimit?: number;
  http?: HttpConfig;
}

/** `trust.registry`: a participant registry that decides trust in the target's JWTs (spec digest §6). */
export interface RegistryConfig {
  baseUrl: string;
  partyId: string;
  version?: IshareVersion;
  endpoints: { token?: string; parties?: string; trustedList?: string };
}

export interface ExternalTargetConfig {
  kind: "external";
  name: string;
  partyId: string;
  version: IshareVersion;
  baseUrl: string;
  roles: Role[];
  endpoints: Record<string, string>;
  client: IdentityConfig & {
    issuer?: { key: string; keyPassphrase?: string; certificates: string };
    credentials?: Partial<Record<CredentialKey, CredentialConfig>>;
  };
  identities: Record<string, IdentityConfig>;
  trust: { anchors: string[]; registry?: RegistryConfig };
  delegation?: DelegationConfig;
  oidc?: OidcConfig;
  expiredToken?: string;
  concurrency?: number;
  rateLimit?: number;
  http?: HttpConfig;
}

export type TargetConfig = BuiltinTargetConfig | ExternalTargetConfig;

export interface TargetsFile {
  file: string;
  defaults: { concurrency?: number; rateLimit?: number; http?: HttpConfig };
  targets: Record<string, TargetConfig>;
}

type RawTarget = Record<string, unknown>;

/** Loads and validates a targets file. Throws ConfigError naming the file and key path. */
export function loadTargetsFile(file: string, env: NodeJS.ProcessEnv = process.env): TargetsFile {
  const absolute = resolve(file);
  const raw = substituteEnv(readYamlFile(absolute, "CONFIG"), env, absolute);
  const validate = validatorFor("targets");
  if (!validate(raw)) {
    const lines = describeSchemaErrors(validate.errors);
    throw new ConfigError("CONFIG", `${absolute}: ${lines.join("; ")}`);
  }
  const data = raw as { defaults?: TargetsFile["defaults"]; targets: Record<string, RawTarget> };
  const base = dirname(absolute);
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const withHttp = (http: HttpConfig | undefined): HttpConfig | undefined =>
    http === undefined
      ? undefined
      : {
          ...http,
          ...(http.extraCa ? { extraCa: at(http.extraCa) } : {}),
          ...(http.tls
            ? { tls: { ...http.tls, certificate: at(http.tls.certificate), key: at(http.tls.key) } }
            : {}),
        };
  const identity = (config: IdentityConfig): IdentityConfig => ({
    ...config,
    key: at(config.key),
    certificates: at(config.certificates),
  });

  const targets: Record<string, TargetConfig> = {};
  for (const [name, target] of Object.entries(data.targets)) {
    const http = withHttp(target["http"] as HttpConfig | undefined);
    const common = {
      name,
      version: (target["version"] as IshareVersion | undefined) ?? "2.0",
      ...(target["concurrency"] !== undefined ? { concurrency: target["concurrency"] as number } : {}),
      ...(target["rateLimit"] !== undefined ? { rateLimit: target["rateLimit"] as number } : {}),
      ...(http ? { http } : {}),
    };
    if (target["builtin"] !== undefined) {
      targets[name] = {
        kind: "builtin",
        builtin: "reference",
        faults: (target["faults"] as string[] | undefined) ?? [],
        ...(target["roles"] ? { roles: target["roles"] as Role[] } : {}),
        ...(target["loginDriver"] ? { loginDriver: target["loginDriver"] as "form" | "browser" } : {}),
        ...common,
      };
      continue;
    }
    const client = target["client"] as ExternalTargetConfig["client"];
    const trust = target["trust"] as { anchors?: string | string[]; registry?: RegistryConfig };
    const anchors = trust.anchors ?? [];
    const registry = trust.registry;
    const delegation = target["delegation"] as DelegationConfig | undefined;
    const oidc = target["oidc"] as OidcConfig | undefined;
    targets[name] = {
      kind: "external",
      partyId: target["partyId"] as string,
      baseUrl: checkBaseUrl(target["baseUrl"] as string, `targets.${name}.baseUrl`, absolute),
      roles: target["roles"] as Role[],
      endpoints: (target["endpoints"] as Record<string, string> | undefined) ?? {},
      client: {
        ...identity(client),
        ...(client.issuer
          ? {
              issuer: {
                ...client.issuer,
                key: at(client.issuer.key),
                certificates: at(client.issuer.certificates),
              },
            }
          : {}),
        ...(client.credentials
          ? {
              credentials: Object.fromEntries(
                Object.entries(client.credentials).map(([key, value]) => [
                  key,
                  { ...value, key: at(value.key), certificates: at(value.certificates) },
                ]),
              ),
            }
          : {}),
      },
      identities: Object.fromEntries(
        Object.entries((target["identities"] as Record<string, IdentityConfig> | undefined) ?? {}).map(
          ([key, value]) => [key, identity(value)],
        ),
      ),
      trust: {
        anchors: (Array.isArray(anchors) ? anchors : [anchors]).map(at),
        ...(registry
          ? {
              registry: {
                ...registry,
                baseUrl: checkBaseUrl(registry.baseUrl, `targets.${name}.trust.registry.baseUrl`, absolute),
                endpoints: registry.endpoints ?? {},
              },
            }
          : {}),
      },
      ...(delegation
        ? {
            delegation: {
              ...delegation,
              permitMask: at(delegation.permitMask),
              denyMask: at(delegation.denyMask),
              ...(delegation.policyRequest ? { policyRequest: at(delegation.policyRequest) } : {}),
              ...(delegation.refusedPolicyRequest
                ? { refusedPolicyRequest: at(delegation.refusedPolicyRequest) }
                : {}),
              ...(delegation.serviceProvider
                ? { serviceProvider: identity(delegation.serviceProvider) }
                : {}),
            },
          }
        : {}),
      ...(oidc ? { oidc: oidcPaths(oidc, at) } : {}),
      ...(target["expiredToken"] !== undefined ? { expiredToken: target["expiredToken"] as string } : {}),
      ...common,
    };
  }
  const defaultsHttp = withHttp(data.defaults?.http);
  return {
    file: absolute,
    defaults: {
      ...(data.defaults?.concurrency !== undefined ? { concurrency: data.defaults.concurrency } : {}),
      ...(data.defaults?.rateLimit !== undefined ? { rateLimit: data.defaults.rateLimit } : {}),
      ...(defaultsHttp ? { http: defaultsHttp } : {}),
    },
    targets,
  };
}

/** `oidc:` with its file paths resolved by `at`. */
function oidcPaths(oidc: OidcConfig, at: (path: string) => string): OidcConfig {
  return {
    ...oidc,
    ...(oidc.userinfo
      ? { userinfo: { permitMask: at(oidc.userinfo.permitMask), denyMask: at(oidc.userinfo.denyMask) } }
      : {}),
    ...(oidc.encryptionCertificate ? { encryptionCertificate: at(oidc.encryptionCertificate) } : {}),
  };
}

/** The named target, or a ConfigError listing the names that exist. */
export function pickTarget(file: TargetsFile, name: string): TargetConfig {
  // Own entries only: `--target constructor` or `__proto__` must not find Object.prototype's members.
  const target = Object.hasOwn(file.targets, name) ? file.targets[name] : undefined;
  if (!target) {
    const known = Object.keys(file.targets).join(", ");
    throw new ConfigError(
      "CONFIG",
      `${file.file}: no target named "${name}" under targets (known: ${known})`,
    );
  }
  return target;
}
