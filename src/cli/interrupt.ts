/** Turns SIGINT/SIGTERM (or a test's AbortSignal) into one AbortSignal for long-running commands. */
import process from "node:process";
import type { CliIo } from "./io.ts";

export interface Interrupt {
  readonly signal: AbortSignal;
  /** Stops listening to process signals. */
  dispose(): void;
}

/**
 * The hook bin.js installs before anything else loads: its SIGINT/SIGTERM listener calls `handler` when a
 * command has claimed interrupts, and exits 130 otherwise (so the documented code holds while loading too).
 */
interface EarlyInterruptHook {
  handler: (() => void) | undefined;
}

const HOOK_KEY = Symbol.for("ishare-conformance.interrupt-hook");

function earlyHook(): EarlyInterruptHook | undefined {
  return (globalThis as { [HOOK_KEY]?: EarlyInterruptHook })[HOOK_KEY];
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
  const hook = earlyHook();
  if (hook) {
    const previous = hook.handler;
    hook.handler = onSignal;
    return {
      signal: controller.signal,
      dispose() {
        if (hook.handler === onSignal) hook.handler = previous;
      },
    };
  }
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
