/** results.jsonl: one CaseResult per line, appended as each case finishes so a killed run keeps what it did. */
import { appendFile, readFile } from "node:fs/promises";
import type { CaseResult } from "../model/result.ts";

/** File name of the line-per-case results inside the output folder. */
export const RESULTS_FILE_NAME = "results.jsonl";

/** Appends one result as one JSON line. */
export async function appendCaseResult(
  file: string,
  result: CaseResult & { target?: string },
): Promise<void> {
  await appendFile(file, `${JSON.stringify(result)}\n`, "utf8");
}

/**
 * Reads every complete line of a results file. A missing file reads as no results; a line cut short
 * by a killed run is ignored.
 */
export async function readCaseResults(file: string): Promise<CaseResult[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const results: CaseResult[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      results.push(JSON.parse(line) as CaseResult);
    } catch {
      // A partial last line from an interrupted write; the case is reported as not finished.
    }
  }
  return results;
}
