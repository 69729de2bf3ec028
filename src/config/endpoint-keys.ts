/**
 * Endpoint keys of targets.yaml (`endpoints:`): the ones the suites send to and the ones discovery reads from
 * capabilities. An unknown key is an error, not silently ignored (`trusted_list:` for `trustedList:`).
 */
import { ConfigError } from "../errors.ts";
import type { Suite } from "../model/suite.ts";

/** Endpoint keys the harness knows: every `endpoint:` of the suites' requests, plus `extra` (discovery's). */
export function knownEndpointKeys(suites: readonly Suite[], extra: Iterable<string>): string[] {
  const keys = new Set<string>(extra);
  for (const suite of suites) {
    for (const request of Object.values(suite.requests)) if (request.endpoint) keys.add(request.endpoint);
    for (const c of suite.cases)
      for (const step of c.steps) if (step.mutate?.endpoint) keys.add(step.mutate.endpoint);
  }
  return [...keys].sort();
}

const squash = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Throws a ConfigError naming the first unknown key of `endpoints`, with the known ones and a likely fix. */
export function assertKnownEndpointKeys(
  endpoints: Readonly<Record<string, string>>,
  known: readonly string[],
  at: string,
  file: string,
): void {
  for (const key of Object.keys(endpoints)) {
    if (known.includes(key)) continue;
    const likely = known.find((candidate) => squash(candidate) === squash(key));
    throw new ConfigError(
      "CONFIG",
      `${file}: ${at}.endpoints.${key}: unknown endpoint key${likely ? `; did you mean ${likely}?` : ""} (known: ${known.join(", ")})`,
    );
  }
}
