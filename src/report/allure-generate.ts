/**
 * Generates the Allure Report 3 HTML from allure-results with the `allure` package's own CLI (pure JS,
 * offline) as one self-contained file: the awesome plugin's single-file mode inlines the app and the data,
 * so index.html opens from disk (file://) or as a mail attachment. The plugin hard-codes an analytics tag
 * (a script from an external tag manager carrying the report's id); it is cut out of the page, and the page
 * is then refused if anything external is still fetched at load.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

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

/** Allure configuration: the awesome report, single file, tree by target and suite, sorted by name (case id). */
export const ALLURE_CONFIG = {
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        groupBy: ["parentSuite", "suite"],
        reportLanguage: "en",
        defaultSortBy: "name,asc",
      },
    },
  },
} as const;

/** Removes the analytics scripts the awesome plugin always emits (loader and its gtag configuration). */
export function stripAnalytics(html: string): string {
  return html
    .replace(/<script\b[^>]*\bsrc="https:\/\/www\.googletagmanager\.com\/[^"]*"[^>]*>\s*<\/script>/g, "")
    .replace(/<script>(?:(?!<\/script>)[\s\S])*?\bgtag\((?:(?!<\/script>)[\s\S])*?<\/script>/g, "");
}

/**
 * URLs that the page's markup makes a browser fetch at load (script src, link href, img/iframe/source src,
 * CSS url() and @import) and that are not inline (data:, blob:, fragment). Empty for a self-contained page.
 * The app's own code may still name external URLs as plain links; a headless browser test proves that none
 * is fetched (src/report/allure-report-browser.test.ts).
 */
export function externalFetches(html: string): string[] {
  const found = new Set<string>();
  const inline = (url: string): boolean => /^(data:|blob:|#|about:)/i.test(url.trim());
  const tag = /<(script|link|img|iframe|source|audio|video|embed|object)\b[^>]*>/gi;
  for (const match of html.matchAll(tag)) {
    const element = match[0];
    for (const attr of element.matchAll(/\b(src|href|data|srcset)\s*=\s*("([^"]*)"|'([^']*)')/gi)) {
      const url = attr[3] ?? attr[4] ?? "";
      // A plain <link rel="..."> to a page is not fetched, but stylesheets, preloads and icons are.
      if (url !== "" && !inline(url)) found.add(url);
    }
  }
  for (const match of html.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3/gi)) {
    const url = match[2] ?? match[4] ?? "";
    if (url !== "" && !inline(url) && /^(https?:)?\/\//i.test(url)) found.add(url);
  }
  return [...found];
}

function runAllureCli(
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [...args],
      // cwd: the results' parent, so no allurerc from the user's directory changes the output.
      {
        cwd,
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
        env: { ...process.env, NO_COLOR: "1" },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        const output = `${stderr}\n${stdout}`.trim().split("\n").slice(-5).join(" | ");
        reject(new Error(`allure generate failed (${error.message.split("\n")[0]}): ${output}`));
      },
    );
  });
}

/**
 * Runs `allure generate <results> -o <report>` with this Node binary and makes index.html self-contained.
 * Resolves with the path of index.html; rejects with an Error whose message carries allure's own output,
 * or names the external URLs the page would still fetch.
 */
export async function generateAllureReport(options: GenerateOptions): Promise<string> {
  const configDir = await mkdtemp(join(tmpdir(), "ishare-allurerc-"));
  try {
    const config = join(configDir, "allurerc.json");
    await writeFile(config, JSON.stringify(ALLURE_CONFIG), "utf8");
    await runAllureCli(
      [
        allureCliPath(),
        "generate",
        options.resultsDir,
        "--output",
        options.reportDir,
        "--report-name",
        options.reportName,
        "--config",
        config,
      ],
      dirname(options.resultsDir),
      options.timeoutMs ?? 120_000,
      options.signal,
    );
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
  const index = join(options.reportDir, "index.html");
  const html = stripAnalytics(await readFile(index, "utf8"));
  const external = externalFetches(html);
  if (external.length > 0) {
    await rm(index, { force: true });
    throw new Error(`the generated page would fetch ${external.join(", ")} at load; it was not kept`);
  }
  await writeFile(index, html, "utf8");
  return index;
}
