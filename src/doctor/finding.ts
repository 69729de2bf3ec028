/** What the pre-flight (`doctor`, and the start of `run`) found: one plain sentence each, naming the key to fix. */

/**
 * ok: the check held; config: the configuration cannot work (the run stops, exit 2); target: the target
 * refused what a conformant target accepts (the run goes on: the control case fails, its dependents are not
 * judged); warning: worth a look, not blocking.
 */
export type FindingKind = "ok" | "config" | "target" | "warning";

export interface Finding {
  readonly kind: FindingKind;
  /** Short name of the check, e.g. `client certificate validity`. */
  readonly check: string;
  /** One sentence: what was seen, and the key (targets.<name>.…) to fix. */
  readonly message: string;
}

export const ok = (check: string, message: string): Finding => ({ kind: "ok", check, message });
export const configProblem = (check: string, message: string): Finding => ({
  kind: "config",
  check,
  message,
});
export const targetProblem = (check: string, message: string): Finding => ({
  kind: "target",
  check,
  message,
});
export const warning = (check: string, message: string): Finding => ({ kind: "warning", check, message });

/** The first finding that stops a run (config), if any. */
export const blocking = (findings: readonly Finding[]): Finding | undefined =>
  findings.find((finding) => finding.kind === "config");

/** doctor's exit code: 2 the configuration cannot work, 1 the target refused a valid request, else 0. */
export function doctorExitCode(findings: readonly Finding[]): number {
  if (findings.some((finding) => finding.kind === "config")) return 2;
  if (findings.some((finding) => finding.kind === "target")) return 1;
  return 0;
}
