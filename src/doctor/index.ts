/**
 * The pre-flight (`ishare-conformance doctor`, and the first thing `run` does for an external target): the
 * configuration is loaded as a run loads it, then the local identity checks, then the live checks. Never
 * throws for the user's or the target's trouble: each problem is a finding with one sentence.
 */

import { startBuiltinTarget } from "../cli/builtin-target.ts";
import { assertKnownEndpointKeys, knownEndpointKeys } from "../config/endpoint-keys.ts";
import { loadSuites, SUITES_DIR } from "../config/suites.ts";
import { loadTargetsFile, pickTarget } from "../config/targets.ts";
import { FEATURE_ENDPOINTS } from "../engine/discovery.ts";
import { Limiter } from "../engine/limiter.ts";
import { resolveExternalTarget } from "../engine/resolve-target.ts";
import { SecretRegistry } from "../engine/secrets.ts";
import { isHarnessError } from "../errors.ts";
import { HttpClient } from "../http/client.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { configProblem, type Finding } from "./finding.ts";
import { liveFindings } from "./live.ts";
import { localFindings } from "./local.ts";

export { blocking, doctorExitCode, type Finding, type FindingKind } from "./finding.ts";

export interface DoctorOptions {
  readonly targetsFile: string;
  readonly targetName: string;
  /** Turn TLS verification off (--insecure). */
  readonly insecure?: boolean;
  /** Local checks only (no request to the target). */
  readonly offline?: boolean;
  readonly now?: () => number;
}

export interface DoctorReport {
  readonly target: string;
  readonly findings: readonly Finding[];
}

/** Runs the pre-flight against one target of a targets file. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  let target: ResolvedTarget;
  let configured: Readonly<Record<string, string>>;
  let stop: () => Promise<void> = async () => {};
  try {
    const file = loadTargetsFile(options.targetsFile);
    const config = pickTarget(file, options.targetName);
    if (config.kind === "builtin") {
      const started = await startBuiltinTarget(file, config, [], now);
      target = started.target;
      configured = target.endpoints;
      stop = started.close;
    } else {
      assertKnownEndpointKeys(
        config.endpoints,
        knownEndpointKeys(loadSuites(SUITES_DIR), Object.values(FEATURE_ENDPOINTS)),
        `targets.${config.name}`,
        file.file,
      );
      target = await resolveExternalTarget(file, config);
      configured = config.endpoints;
    }
  } catch (error) {
    if (!isHarnessError(error)) throw error;
    return { target: options.targetName, findings: [configProblem("configuration", error.message)] };
  }
  if (options.insecure) target = { ...target, http: { ...target.http, insecure: true } };
  const findings: Finding[] = localFindings(target, now());
  if (options.offline || findings.some((finding) => finding.kind === "config")) {
    await stop();
    return { target: target.name, findings };
  }
  const http = new HttpClient(target.http, 2);
  try {
    findings.push(
      ...(await liveFindings({
        target,
        configured,
        http,
        limiter: new Limiter(2),
        secrets: new SecretRegistry(false),
        now,
      })),
    );
  } finally {
    await http.close();
    await stop();
  }
  return { target: target.name, findings };
}
