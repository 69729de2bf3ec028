/** `faults`: the faults the built-in reference target can plant, and the cases that catch each. */
import type { FaultSpec } from "../reference/fault-spec.ts";
import { noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

export const faultsCommand: Command = {
  name: "faults",
  summary: "List the faults the reference target can plant (--fault NAME)",
  usage: `Usage: ishare-conformance faults [--json]

Lists every fault of the built-in reference target: what it breaks, the rule it breaks (the public
reference of the cases that catch it) and those cases. Plant one with "run --fault NAME" or "serve --fault NAME".

Options:
  --json    print a JSON array of { name, description, rules, caughtBy, caughtByVersion?, breaks?, versions?,
            target?, reason?, strict? } (rules: [{ key, title, url, section }] of the cases that catch it;
            caughtByVersion: the cases that catch it at a version where they differ from caughtBy)

Chaos faults (chaos.*) make the reference target hostile (never answering, trickling, resetting, huge or
malformed bodies, hostile JWTs, bad TLS certificates); try them on the short-timeout target:
  ishare-conformance run --target reference-chaos --fault chaos.trickle`,
  async run(args, io) {
    const { values, positionals } = parseCommand("faults", args, { json: { type: "boolean" } });
    noPositionals("faults", positionals);
    const { FAULTS, affectedCases } = await import("../reference/index.ts");
    const { listCases } = await import("../engine/index.ts");
    const refOf = new Map(listCases().map((c) => [c.id, c.ref]));
    // The spec's `rule` is a note for developers; users see the public rules of the cases that catch it.
    const specs: Array<[string, FaultSpec]> = Object.entries(FAULTS);
    const faults = specs.map(([name, { rule: _rule, ...spec }]) => {
      const rules = [
        ...new Map(
          [...spec.caughtBy, ...Object.values(spec.caughtByVersion ?? {}).flat()].flatMap((id) => {
            const ref = refOf.get(id);
            return ref ? [[ref.key, ref] as const] : [];
          }),
        ).values(),
      ];
      return { name, ...spec, rules };
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify(faults, null, 2)}\n`);
      return EXIT.ok;
    }
    const width = Math.max(...faults.map((fault) => fault.name.length));
    for (const fault of faults) {
      const versions = "versions" in fault && fault.versions ? ` [iSHARE ${fault.versions.join(", ")}]` : "";
      io.stdout.write(`${fault.name.padEnd(width)}  ${fault.description}${versions}\n`);
      const rules = fault.rules.map((ref) => `${ref.section} <${ref.url}>`).join(", ");
      const strict = fault.strict ? " (with --strict)" : "";
      io.stdout.write(
        `${"".padEnd(width)}  ${affectedCases(fault)}${strict}${rules ? `; rule: ${rules}` : ""}\n`,
      );
    }
    io.stdout.write(`\n${faults.length} faults\n`);
    return EXIT.ok;
  },
};
