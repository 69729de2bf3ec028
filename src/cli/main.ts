/** The CLI: picks the command, prints help and version, and turns errors into exit codes. */
import { isHarnessError } from "../errors.ts";
import { usageError } from "./args.ts";
import { benchCommand } from "./bench.ts";
import type { Command } from "./command.ts";
import { doctorCommand } from "./doctor.ts";
import { EXIT } from "./exit-codes.ts";
import { faultsCommand } from "./faults.ts";
import { listenForInterrupt } from "./interrupt.ts";
import { type CliIo, processIo } from "./io.ts";
import { listCommand } from "./list.ts";
import { packageVersion } from "./package-info.ts";
import { pkiCommand } from "./pki.ts";
import { reportCommand } from "./report.ts";
import { runCommand } from "./run.ts";
import { serveCommand } from "./serve.ts";

/** Every command, in the order --help lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  doctorCommand,
  listCommand,
  faultsCommand,
  pkiCommand,
  serveCommand,
  reportCommand,
  benchCommand,
];

/** The top-level --help text. */
export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const commands = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join(
    "\n",
  );
  return `ishare-conformance ${packageVersion()}: conformance tests for the iSHARE Trust Framework

Usage: ishare-conformance <command> [options]

Commands:
${commands}

  ishare-conformance <command> --help   options of one command
  ishare-conformance --version          print the version

Quick start:
  ishare-conformance run                       all cases against the built-in reference target
  ishare-conformance run --fault token.accepts-get   see a planted fault caught
  ishare-conformance doctor --target my-ar     check the configuration and the target's basics
  ishare-conformance run --target my-ar        a target from ./targets.yaml

Exit codes: 0 every case passed (skipped allowed), 1 a case failed or broke, 2 usage or
configuration error, 130 interrupted.`;
}

const isHelp = (arg: string | undefined): boolean => arg === "--help" || arg === "-h";

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(`${mainUsage()}\n`);
    return EXIT.usage;
  }
  if (isHelp(first)) {
    io.stdout.write(`${mainUsage()}\n`);
    return EXIT.ok;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (first === "help") {
    const topic = rest[0];
    const command = COMMANDS.find((c) => c.name === topic);
    if (topic !== undefined && !command) throw usageError("", `unknown command "${topic}"`);
    io.stdout.write(`${command ? command.usage : mainUsage()}\n`);
    return EXIT.ok;
  }
  if (first.startsWith("-")) throw usageError("", `unknown option ${first}; options go after the command`);
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    throw usageError("", `unknown command "${first}" (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
  }
  const end = rest.indexOf("--");
  if ((end === -1 ? rest : rest.slice(0, end)).some(isHelp)) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  if (command.name === "run" && !io.interrupt) {
    // From its first moment: an interrupt while `run` loads its configuration still ends in 130 with the reports.
    const interrupt = listenForInterrupt(io);
    try {
      return await command.run(rest, { ...io, interrupt: interrupt.signal });
    } finally {
      interrupt.dispose();
    }
  }
  return command.run(rest, io);
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and resolves with the exit code:
 * 0 all passed, 1 a case failed or broke, 2 usage or configuration error, 130 interrupted.
 * Never throws and never calls process.exit.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (isHarnessError(error) && error.name === "ConfigError") {
      io.stderr.write(`ishare-conformance: ${error.message}\n`);
      return EXIT.usage;
    }
    if (isHarnessError(error)) {
      io.stderr.write(`ishare-conformance: ${error.code}: ${error.message}\n`);
      return EXIT.failed;
    }
    // Our own bug: the stack is what a bug report needs.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`ishare-conformance: internal error: ${detail}\n`);
    return EXIT.failed;
  }
}
