/** Process exit codes of the CLI, as documented in --help. */

export const EXIT = {
  /** Every case passed (skipped cases allowed). */
  ok: 0,
  /** A case failed or broke. */
  failed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Interrupted (SIGINT / SIGTERM). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
