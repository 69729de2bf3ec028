/** Where the CLI writes and what it reads from its environment; tests pass their own to capture output. */
import process from "node:process";

/** A writable text stream, as much of it as the CLI uses. */
export interface TextOut {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  /** Relative paths on the command line resolve from here. */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Tests abort this instead of sending SIGINT; when absent, SIGINT/SIGTERM are listened to. */
  readonly interrupt?: AbortSignal;
}

/** The real process streams, directory and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(out: TextOut, env: NodeJS.ProcessEnv): boolean {
  return out.isTTY === true && (env["NO_COLOR"] === undefined || env["NO_COLOR"] === "");
}
