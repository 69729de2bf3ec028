/** `list`: the cases of the suites, with the rule each one checks. */
import { resolve } from "node:path";
import { listOption, noPositionals, parseCommand, usageError } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";

export const listCommand: Command = {
  name: "list",
  summary: "List the test cases and the rule each one checks",
  usage: `Usage: ishare-conformance list [--suite token,...] [--json] [--suites-dir DIR]

Options:
  --suite IDS         only these suites (comma-separated or repeated)
  --json              print a JSON array of { id, suite, title, feature, tags, ref: { key, title, url, section } }
  --suites-dir DIR    read the suites (and refs.yaml) from DIR instead of the package's suites/`,
  async run(args, io) {
    const { values, positionals } = parseCommand("list", args, {
      suite: { type: "string", multiple: true },
      json: { type: "boolean" },
      "suites-dir": { type: "string" },
    });
    noPositionals("list", positionals);
    const suites = listOption(values.suite);
    const { listCases } = await import("../engine/index.ts");
    const suitesDir = values["suites-dir"];
    const all = listCases(suitesDir !== undefined ? { suitesDir: resolve(io.cwd, suitesDir) } : {});
    const known = [...new Set(all.map((c) => c.suite))];
    const unknown = suites.filter((suite) => !known.includes(suite));
    if (unknown.length > 0) {
      throw usageError("list", `unknown suite ${unknown.join(", ")} (known: ${known.join(", ")})`);
    }
    const cases = suites.length > 0 ? all.filter((c) => suites.includes(c.suite)) : all;
    if (values.json) {
      const rows = cases.map(({ id, suite, title, feature, tags, ref }) => ({
        id,
        suite,
        title,
        feature,
        tags,
        ref,
      }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    const idWidth = Math.max(2, ...cases.map((c) => c.id.length));
    const suiteWidth = Math.max(5, ...cases.map((c) => c.suite.length));
    for (const c of cases) {
      io.stdout.write(`${c.id.padEnd(idWidth)}  ${c.suite.padEnd(suiteWidth)}  ${c.title}\n`);
      io.stdout.write(`${"".padEnd(idWidth + suiteWidth + 4)}${c.ref.key} — ${c.ref.url}\n`);
    }
    io.stdout.write(`\n${cases.length} cases\n`);
    return EXIT.ok;
  },
};
