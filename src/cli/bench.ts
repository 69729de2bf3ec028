/** `bench`: times a full reference run through the real CLI path against a bare undici + jose baseline. */
import { integerOption, noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

export const benchCommand: Command = {
  name: "bench",
  summary: "Measure harness overhead: full reference run vs a bare undici + jose baseline",
  usage: `Usage: ishare-conformance bench [--runs N]

(a) Wall time of "run --target reference" through the real CLI path (vitest, reports), output in a
temporary folder, median of N runs; (b) in this process, the reference target alone and the same number
of token-endpoint exchanges with undici + jose (valid client assertion, POST, read body) at the same
concurrency. Prints both, the ratio and the cost per case. Numbers only: nothing is asserted.

Options:
  --runs N   runs of (a) and (b) to take the median of (default 3)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("bench", args, { runs: { type: "string" } });
    noPositionals("bench", positionals);
    const runs = integerOption("bench", "runs", values.runs, 1, 20) ?? 3;
    const { runBench } = await import("../bench/index.ts");
    await runBench({ runs, io });
    return EXIT.ok;
  },
};
