/** The shape of one CLI command: its name, help text and what it does. */
import type { CliIo } from "./io.ts";

export interface Command {
  readonly name: string;
  /** One line for the command list in --help. */
  readonly summary: string;
  /** Full help text for `ishare-conformance <name> --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
