/** `bench`: times a full reference run through the real CLI path against a bare undici + jose baseline. */
import { integerOption, noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

export const benchCommand: Command = {
  name: "bench",
  summary: "Measure harness overhead: full reference run vs a bare undici + jose script, and 10 targets vs 1",
  usage: `Usage: ishare-conformance bench [--runs N]

Each round times four processes, started alike (node + tsx), one after the other so they share the
machine's load: (a) "run --target reference --no-html" through the real CLI (vitest, reports);
(b) a bare script doing the same setup (test PKI, reference target) and as many token exchanges with
undici + jose (valid client assertion, POST, read body) at the same concurrency; (h) the HTML report of
(a) generated alone ("report"); (t) "run --all --no-html" over ten built-in reference targets.
Prints the medians of wall and CPU time and the ratios (a)/(b) (target: at most 2x) and (t)/(a)
(target: at most 4x). Numbers only: nothing is asserted. Measure on an otherwise idle machine.

Options:
  --runs N   rounds to take the median of (default 3)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("bench", args, { runs: { type: "string" } });
    noPositionals("bench", positionals);
    const runs = integerOption("bench", "runs", values.runs, 1, 20) ?? 3;
    const { runBench } = await import("../bench/index.ts");
    await runBench({ runs, io });
    return EXIT.ok;
  },
};
