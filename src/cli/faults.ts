/** `faults`: the faults the built-in reference target can plant, and the cases that catch each. */
import { noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

export const faultsCommand: Command = {
  name: "faults",
  summary: "List the faults the reference target can plant (--fault NAME)",
  usage: `Usage: ishare-conformance faults [--json]

Lists every fault of the built-in reference target: what it breaks, the rule (section of the
iSHARE digest) and the cases that catch it. Plant one with "run --fault NAME" or "serve --fault NAME".

Options:
  --json    print a JSON array of { name, description, rule, caughtBy, breaks?, versions?, target?, reason? }

Chaos faults (chaos.*) make the reference target hostile (never answering, trickling, resetting, huge or
malformed bodies, hostile JWTs, bad TLS certificates); try them on the short-timeout target:
  ishare-conformance run --target reference-chaos --fault chaos.trickle`,
  async run(args, io) {
    const { values, positionals } = parseCommand("faults", args, { json: { type: "boolean" } });
    noPositionals("faults", positionals);
    const { FAULTS, affectedCases } = await import("../reference/index.ts");
    const faults = Object.entries(FAULTS).map(([name, spec]) => ({ name, ...spec }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(faults, null, 2)}\n`);
      return EXIT.ok;
    }
    const width = Math.max(...faults.map((fault) => fault.name.length));
    for (const fault of faults) {
      const versions = "versions" in fault && fault.versions ? ` [iSHARE ${fault.versions.join(", ")}]` : "";
      io.stdout.write(`${fault.name.padEnd(width)}  ${fault.description}${versions}\n`);
      io.stdout.write(`${"".padEnd(width)}  rule ${fault.rule}; ${affectedCases(fault)}\n`);
    }
    io.stdout.write(`\n${faults.length} faults\n`);
    return EXIT.ok;
  },
};
