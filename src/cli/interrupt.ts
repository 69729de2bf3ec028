/** Turns SIGINT/SIGTERM (or a test's AbortSignal) into one AbortSignal for long-running commands. */
import process from "node:process";
import type { CliIo } from "./io.ts";

export interface Interrupt {
  readonly signal: AbortSignal;
  /** Stops listening to process signals. */
  dispose(): void;
}

/**
 * The first SIGINT/SIGTERM aborts the signal (the command winds down); a second one exits at once
 * with 130. When `io.interrupt` is given (tests), process signals are left alone.
 */
export function listenForInterrupt(io: CliIo): Interrupt {
  if (io.interrupt) return { signal: io.interrupt, dispose() {} };
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write("\nStopping… (press Ctrl-C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Resolves when the signal is aborted. */
export const whenAborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
