/**
 * results.jsonl: one CaseResult per line, appended as each case finishes so a killed run keeps what it did.
 * One writer per file: appends are queued and each line goes out whole, whatever its size, so lines of
 * concurrent cases never interleave.
 */
import { open, readFile } from "node:fs/promises";
import type { CaseResult } from "../model/result.ts";

/** File name of the line-per-case results inside the output folder. */
export const RESULTS_FILE_NAME = "results.jsonl";

/** The tail of the queue of appends per file: the next append starts when it settles. */
const queues = new Map<string, Promise<void>>();

/** Writes all of `bytes` at the end of `file` (a regular file opened for appending; partial writes resumed). */
async function appendWhole(file: string, bytes: Buffer): Promise<void> {
  const handle = await open(file, "a");
  try {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Appends one result as one JSON line. Concurrent calls for the same file are written one after the other,
 * each line whole; the promise settles when this line is on disk (or its write failed).
 */
export function appendCaseResult(file: string, result: CaseResult): Promise<void> {
  const line = Buffer.from(`${JSON.stringify(result)}\n`, "utf8");
  const previous = queues.get(file) ?? Promise.resolve();
  const mine = previous.then(() => appendWhole(file, line));
  // The queue goes on after a failed write; this caller still sees the failure.
  const tail = mine.catch(() => {});
  queues.set(file, tail);
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return mine;
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
