/**
 * The built-in reference target, started on the CLI side: a fresh test PKI, the conformant reference server
 * on loopback (with any planted faults), and a target description of it like any external target's (its
 * party id, base URL and roles; identities and trust anchors; endpoints left to discovery), handed to the
 * engine, which imports nothing from src/reference. So the fault matrix proves the code path real targets take.
 * This module is also what the conformance entry imports `prepareRun` from.
 */

import { defectIdentityKey } from "../assertions/index.ts";
import { loadSuites, SUITES_DIR } from "../config/suites.ts";
import {
  type BuiltinTargetConfig,
  loadTargetsFile,
  pickTarget,
  type TargetsFile,
} from "../config/targets.ts";
import {
  checkRunOptions as checkEngineRunOptions,
  type PreparedRun,
  prepareRun as prepareEngineRun,
  prepareRunOn,
  type RunOptions,
} from "../engine/index.ts";
import { oidcEndpointKeys } from "../engine/oidc/endpoint-keys.ts";
import { planCases } from "../engine/plan.ts";
import { DEFAULT_CONCURRENCY, defaultEndpoints, resolveHttpOptions } from "../engine/resolve-target.ts";
import { ConfigError } from "../errors.ts";
import type { PartyIdentity } from "../model/identity.ts";
import { DEFAULT_OIDC_ENDPOINTS, type OidcSetup } from "../model/oidc.ts";
import type { ResolvedTarget, Role } from "../model/target.ts";
import { generateTestPki, issuerMaterial, readTestPki, toPem } from "../pki/index.ts";
import { FAULTS, type FaultName, isFaultName, startReferenceTarget } from "../reference/index.ts";
import { serverCertificate, tlsChaosCertificate } from "../reference/tls-certificates.ts";

export type { PreparedRun, RunOptions } from "../engine/index.ts";

/** Roles the reference target plays unless targets.yaml narrows them. */
export const REFERENCE_ROLES: readonly Role[] = ["AuthorisationRegistry", "iShareSatellite"];

/** Validates fault names (targets.yaml and --fault), naming the unknown ones and where the list is. */
export function validateFaults(names: readonly string[], where: string): FaultName[] {
  const unknown = names.filter((name) => !isFaultName(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      "CONFIG",
      `${where}: unknown fault ${unknown.map((n) => `"${n}"`).join(", ")} ` +
        `(${Object.keys(FAULTS).length} faults exist: run \`ishare-conformance faults\` to list them)`,
    );
  }
  return names as FaultName[];
}

export interface StartedBuiltin {
  readonly target: ResolvedTarget;
  close(): Promise<void>;
}

// One test PKI per process: key generation is the slow part of starting the reference target, and runs in
// the same process (the fault matrix, the benchmark) gain nothing from fresh keys.
let sharedPki: ReturnType<typeof generateTestPki> | undefined;

/**
 * Generates the PKI (once per process), starts the reference server and describes it as an external target
 * would be described: the client and further identities (the certificate variants its registry lists as
 * `identities.<defect>`, as a user could give them for a real target), the test CA as `client.issuer`, the
 * root as trust anchor, and only the documented default endpoints: the rest is discovered.
 */
export async function startBuiltinTarget(
  file: TargetsFile,
  config: BuiltinTargetConfig,
  extraFaults: readonly string[],
  now: () => number,
  /** A test PKI written by writeTestPki (the CLI generates it while starting up) instead of generating one. */
  pkiDir?: string,
): Promise<StartedBuiltin> {
  const faults = validateFaults(
    [...new Set([...config.faults, ...extraFaults])],
    `${file.file}: targets.${config.name}.faults`,
  );
  sharedPki ??= pkiDir ? readTestPki(pkiDir) : generateTestPki({ now: new Date(now()) });
  const pki = await sharedPki;
  const tlsKind = tlsChaosCertificate(faults);
  const tls = tlsKind ? await serverCertificate(tlsKind, pki.issuing, now()) : undefined;
  const server = await startReferenceTarget({
    pki,
    faults,
    version: config.version,
    now,
    ...(tls ? { tls } : {}),
  });
  const http = await resolveHttpOptions(
    file,
    config.http,
    `targets.${config.name}`,
    config.rateLimit ?? file.defaults.rateLimit ?? 0,
  );
  const { parties } = pki;
  const roles = config.roles ?? REFERENCE_ROLES;
  const variants: Record<string, PartyIdentity> = {};
  for (const [defect, identity] of Object.entries(pki.registeredVariants)) {
    variants[defectIdentityKey(defect)] = identity;
  }
  const idp = server.identityProvider;
  const oidc: OidcSetup = {
    endpoints: DEFAULT_OIDC_ENDPOINTS,
    login: {
      driver: config.loginDriver ?? "form",
      fields: idp.loginFields,
      username: idp.user.username,
      password: idp.user.password,
    },
    userinfoMasks: idp.userinfoMasks,
    encryptionCertificate: pki.parties.reference.chain[0]!,
  };
  const target: ResolvedTarget = {
    name: config.name,
    partyId: server.partyId,
    version: config.version,
    baseUrl: server.baseUrl,
    roles,
    endpoints: {
      ...defaultEndpoints(roles, config.version),
      ...(roles.includes("IdentityProvider") ? oidcEndpointKeys(oidc) : {}),
    },
    client: parties.client,
    identities: {
      unregistered: parties.unregistered,
      notActive: parties.notActive,
      serviceProvider: parties.serviceProvider,
      entitledParty: parties.entitledParty,
      // The party the registry lets create parties (2.x /ep_creation): the registry itself.
      registrar: parties.reference,
      ...variants,
    },
    delegation: {
      masks: server.delegationMasks,
      denyAnswer: "deny",
      ...(config.version === "2.0" ? {} : { policyRequests: server.policyRequests }),
    },
    oidc,
    expiredToken: server.expiredToken,
    issuer: issuerMaterial(pki),
    issuerTrusted: "the built-in reference trusts its own test CA",
    anchors: [pki.root.certificate],
    // Over HTTPS the test root is trusted for TLS too, so only a broken server certificate fails.
    http: tls ? { ...http, extraCaPem: [...http.extraCaPem, toPem(pki.root.certificate)] } : http,
    concurrency: config.concurrency ?? file.defaults.concurrency ?? DEFAULT_CONCURRENCY,
    source: file.file,
  };
  return { target, close: () => server.close() };
}

/** Like the engine's prepareRun, and for a built-in target: start it, then run it as a described target. */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const file = loadTargetsFile(options.targetsFile);
  const config = pickTarget(file, options.targetName);
  if (config.kind !== "builtin") return prepareEngineRun(options);
  // Suites are read (and a bad one refused) before anything starts.
  loadSuites(options.suitesDir ?? SUITES_DIR);
  const started = await startBuiltinTarget(
    file,
    config,
    options.faults ?? [],
    options.now ?? Date.now,
    options.pkiDir,
  );
  try {
    const run = await prepareRunOn(options, {
      target: started.target,
      configuredEndpoints: {},
      close: started.close,
    });
    return { ...run, faults: [...new Set([...config.faults, ...(options.faults ?? [])])] };
  } catch (error) {
    await started.close();
    throw error;
  }
}

/** Like the engine's checkRunOptions, and for a built-in target: its faults, http settings and cases. */
export async function checkRunOptions(
  options: RunOptions,
): Promise<{ targetName: string; caseCount: number; external: boolean }> {
  const file = loadTargetsFile(options.targetsFile);
  const config = pickTarget(file, options.targetName);
  if (config.kind !== "builtin") return checkEngineRunOptions(options);
  const suites = loadSuites(options.suitesDir ?? SUITES_DIR);
  validateFaults(
    [...config.faults, ...(options.faults ?? [])],
    `${file.file}: targets.${config.name}.faults / --fault`,
  );
  await resolveHttpOptions(file, config.http, `targets.${config.name}`, 0);
  if (options.suites) {
    const known = suites.map((s) => s.suite);
    const unknown = options.suites.filter((s) => !known.includes(s));
    if (unknown.length > 0)
      throw new ConfigError("USAGE", `unknown suite ${unknown.join(", ")} (known: ${known.join(", ")})`);
  }
  const cases = planCases(suites, config.roles ?? REFERENCE_ROLES, config.version, options);
  return { targetName: config.name, caseCount: cases.length, external: false };
}
