/** `doctor`: the pre-flight on its own: local identity checks, then live checks against the target. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Finding } from "../doctor/index.ts";
import { ConfigError } from "../errors.ts";
import { createStyle } from "../report/style.ts";
import { noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { type CliIo, useColour } from "./io.ts";

const MARK: Readonly<Record<Finding["kind"], string>> = {
  ok: "ok  ",
  warning: "warn",
  target: "FAIL",
  config: "FIX ",
};

/** Prints the findings, one line each. */
export function printFindings(findings: readonly Finding[], io: CliIo): void {
  const style = createStyle(useColour(io.stdout, io.env));
  const paint: Readonly<Record<Finding["kind"], (text: string) => string>> = {
    ok: style.passed,
    warning: style.broken,
    target: style.failed,
    config: style.failed,
  };
  for (const finding of findings) {
    io.stdout.write(`  ${paint[finding.kind](MARK[finding.kind])}  ${finding.check}: ${finding.message}\n`);
  }
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "Pre-flight: check your identity and the target's basics before a run",
  usage: `Usage: ishare-conformance doctor [--target NAME] [--targets FILE] [--insecure]

Checks, without running any case, what every case builds on:
  local   the client certificate is valid now and names client.partyId (subject serialNumber in 2.0,
          organizationIdentifier from 2.1), its chain is complete up to a root, the key is RSA >= 2048 bits
          and matches the certificate (plus everything "run" validates in targets.yaml)
  live    the target is reachable (TLS, or "this port speaks plain HTTP"), its capabilities parse and name the
          configured partyId and version, their JWT chains to trust.anchors, the advertised token endpoint is
          the configured one, and one valid access token is obtained
Each problem is one sentence naming the key of targets.yaml to fix. "run" does the same first for an
external target and stops (exit 2) when the configuration cannot work.

Options:
  --target NAME    entry under targets: (default: reference, the built-in target)
  --targets FILE   targets file (default: ./targets.yaml)
  --insecure       turn TLS certificate verification off (throw-away test targets only)

Exit codes: 0 all checks held (warnings allowed), 1 the target refused a valid request (a target defect),
2 the configuration cannot work.`,
  async run(args, io) {
    const { values, positionals } = parseCommand("doctor", args, {
      target: { type: "string" },
      targets: { type: "string" },
      insecure: { type: "boolean" },
    });
    noPositionals("doctor", positionals);
    const targetsFile = resolve(io.cwd, values.targets ?? "targets.yaml");
    if (!existsSync(targetsFile)) {
      throw new ConfigError(
        "CONFIG",
        `${targetsFile}: targets file not found; pass --targets FILE or run from the folder that holds targets.yaml`,
      );
    }
    const { doctorExitCode, runDoctor } = await import("../doctor/index.ts");
    const report = await runDoctor({
      targetsFile,
      targetName: values.target ?? "reference",
      ...(values.insecure ? { insecure: true } : {}),
    });
    io.stdout.write(`Pre-flight of "${report.target}":\n`);
    printFindings(report.findings, io);
    const code = doctorExitCode(report.findings);
    const verdict =
      code === 2
        ? "the configuration cannot work: fix the line(s) marked FIX"
        : code === 1
          ? "the target refused a valid request (FAIL): a run will show which cases that leaves not judged"
          : "ready to run";
    io.stdout.write(`\n${verdict}\n`);
    return code;
  },
};
