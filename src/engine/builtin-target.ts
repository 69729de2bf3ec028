/**
 * The built-in reference target: a fresh test PKI, the conformant reference server started in-process on
 * loopback (with any planted faults), and the ResolvedTarget that points the harness at it.
 */
import type { BuiltinTargetConfig, TargetsFile } from "../config/targets.ts";
import { ConfigError } from "../errors.ts";
import type { ResolvedTarget, Role } from "../model/target.ts";
import { generateTestPki, issuerMaterial, toPem } from "../pki/index.ts";
import { FAULTS, type FaultName, isFaultName, startReferenceTarget } from "../reference/index.ts";
import { serverCertificate, tlsChaosCertificate } from "../reference/tls-certificates.ts";
import { DEFAULT_CONCURRENCY, resolveHttpOptions } from "./resolve-target.ts";

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

/** Generates the PKI (once per process), starts the reference server and describes it as a target. */
export async function startBuiltinTarget(
  file: TargetsFile,
  config: BuiltinTargetConfig,
  extraFaults: readonly string[],
  now: () => number,
): Promise<StartedBuiltin> {
  const faults = validateFaults(
    [...new Set([...config.faults, ...extraFaults])],
    `${file.file}: targets.${config.name}.faults`,
  );
  sharedPki ??= generateTestPki({ now: new Date(now()) });
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
  const target: ResolvedTarget = {
    name: config.name,
    partyId: server.partyId,
    version: config.version,
    baseUrl: server.baseUrl,
    roles: config.roles ?? REFERENCE_ROLES,
    endpoints: server.endpoints,
    client: parties.client,
    identities: {
      unregistered: parties.unregistered,
      notActive: parties.notActive,
      serviceProvider: parties.serviceProvider,
      entitledParty: parties.entitledParty,
    },
    delegation: { masks: server.delegationMasks, denyAnswer: "deny" },
    expiredToken: server.expiredToken,
    issuer: issuerMaterial(pki),
    issuerTrusted: "the built-in reference trusts its own test CA",
    presetVariants: pki.registeredVariants,
    anchors: [pki.root.certificate],
    // Over HTTPS the test root is trusted for TLS too, so only a broken server certificate fails.
    http: tls ? { ...http, extraCaPem: [...http.extraCaPem, toPem(pki.root.certificate)] } : http,
    concurrency: config.concurrency ?? file.defaults.concurrency ?? DEFAULT_CONCURRENCY,
    source: file.file,
  };
  return { target, close: () => server.close() };
}
