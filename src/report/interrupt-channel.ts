/**
 * Carries an interrupt (Ctrl-C / SIGTERM) from the CLI's thread into the vitest worker that runs the cases,
 * so that cases under way stop sending at once. vitest's own per-test signal cannot be relied on for
 * concurrent tests (its list of running tests loses entries when an earlier test finishes), so a named
 * BroadcastChannel, unique to the run, does it.
 */
import { randomUUID } from "node:crypto";
import { BroadcastChannel } from "node:worker_threads";

/** A fresh channel name for one run. */
export const newInterruptChannelName = (): string => `ishare-conformance-interrupt-${randomUUID()}`;

/** Tells the worker listening on `name` that the run was interrupted. */
export function sendInterrupt(name: string): void {
  const channel = new BroadcastChannel(name);
  channel.postMessage("interrupt");
  channel.close();
}

/** An AbortSignal that aborts when {@link sendInterrupt} is called for `name`; close() stops listening. */
export function listenForRunInterrupt(name: string): { readonly signal: AbortSignal; close(): void } {
  const controller = new AbortController();
  const channel = new BroadcastChannel(name);
  channel.onmessage = () => controller.abort(new Error("the run was interrupted (Ctrl-C / SIGTERM)"));
  // Listening must not keep the worker alive once the cases are done.
  channel.unref();
  return { signal: controller.signal, close: () => channel.close() };
}
