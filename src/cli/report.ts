/** `report`: regenerates the Allure HTML report from a run's allure-results. */
import { access, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../errors.ts";
import { noPositionals, parseCommand } from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { displayPath } from "./pki.ts";

export const reportCommand: Command = {
  name: "report",
  summary: "Regenerate the HTML report from a run's allure-results",
  usage: `Usage: ishare-conformance report [--out DIR]

Regenerates DIR/allure-report/index.html from DIR/allure-results (written by "run").

Options:
  --out DIR   the run's output folder (default: reports)`,
  async run(args, io) {
    const { values, positionals } = parseCommand("report", args, { out: { type: "string" } });
    noPositionals("report", positionals);
    const outDir = resolve(io.cwd, values.out ?? "reports");
    const { generateAllureReport, outputPaths } = await import("../report/index.ts");
    const paths = outputPaths(outDir);
    try {
      await access(paths.allureResults);
    } catch {
      throw new ConfigError(
        "USAGE",
        `${paths.allureResults}: no Allure results there; run "ishare-conformance run --out ${displayPath(io.cwd, outDir)}" first`,
      );
    }
    const target = await readFile(paths.summary, "utf8").then(
      (text) => (JSON.parse(text) as { target?: unknown }).target,
      () => undefined,
    );
    const index = await generateAllureReport({
      resultsDir: paths.allureResults,
      reportDir: paths.allureReport,
      reportName: typeof target === "string" ? `iSHARE conformance — ${target}` : "iSHARE conformance",
    });
    io.stdout.write(`Report written to ${displayPath(io.cwd, index)}\n`);
    return EXIT.ok;
  },
};
