/** Test fixture: a CliIo that records what the CLI writes, with a frozen environment and an interrupt switch. */
import type { CliIo, TextOut } from "./io.ts";

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  /** Simulates Ctrl-C. */
  readonly interruptNow: () => void;
  /** Resolves once stdout contains `text`. */
  readonly waitForOut: (text: string, timeoutMs?: number) => Promise<void>;
}

/** A captured io rooted at `cwd`; not a TTY, so output is never coloured. */
export function captureIo(cwd: string): CapturedIo {
  let out = "";
  let err = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const stdout: TextOut = {
    write(text: string) {
      out += text;
      for (const waiter of waiters.filter((w) => out.includes(w.text))) waiter.resolve();
      return true;
    },
  };
  const stderr: TextOut = {
    write(text: string) {
      err += text;
      return true;
    },
  };
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    cwd,
    env: {},
    interrupt: controller.signal,
    out: () => out,
    err: () => err,
    interruptNow: () => controller.abort(),
    waitForOut: (text, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`"${text}" not printed; stdout so far:\n${out}`)),
          timeoutMs,
        );
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
  };
}
