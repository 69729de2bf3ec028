/** Generates the Allure Report 3 HTML from allure-results with the `allure` package's own CLI (pure JS, offline). */
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the allure CLI script (`allure/cli.js`), found through module resolution. */
export function allureCliPath(): string {
  // The package exports only its dist entry; the CLI sits one folder above it.
  const entry = createRequire(import.meta.url).resolve("allure");
  return join(dirname(entry), "..", "cli.js");
}

export interface GenerateOptions {
  readonly resultsDir: string;
  readonly reportDir: string;
  readonly reportName: string;
  /** Give up after this long (ms). */
  readonly timeoutMs?: number;
  /** Aborting (an interrupt) stops the generator at once; the promise then rejects. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `allure generate <results> -o <report>` with this Node binary. Resolves with the path of
 * index.html; rejects with an Error whose message carries allure's own output.
 */
export async function generateAllureReport(options: GenerateOptions): Promise<string> {
  const args = [
    allureCliPath(),
    "generate",
    options.resultsDir,
    "--output",
    options.reportDir,
    "--report-name",
    options.reportName,
    // Our own config: group the tree by target and suite (labels parentSuite/suite) instead of source file.
    "--config",
    fileURLToPath(new URL("./allurerc.json", import.meta.url)),
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      // cwd: the results' parent, so no allurerc from the user's directory changes the output.
      {
        cwd: dirname(options.resultsDir),
        timeout: options.timeoutMs ?? 120_000,
        ...(options.signal ? { signal: options.signal } : {}),
        env: { ...process.env, NO_COLOR: "1" },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        const output = `${stderr}\n${stdout}`.trim().split("\n").slice(-5).join(" | ");
        reject(new Error(`allure generate failed (${error.message.split("\n")[0]}): ${output}`));
      },
    );
  });
  const index = join(options.reportDir, "index.html");
  await access(index);
  return index;
}
