/**
 * What the secret scans read: every output of a run (files, with the single-file HTML report's inline data
 * decoded) and where a secret occurs in it. Shared by the M2M and the OIDC secret scans.
 */
import { readdir, readFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";

export interface Output {
  readonly path: string;
  readonly text: string;
}

/** The whole body of a request or response stream (the wiretaps forward it). */
export async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The data a single-file HTML report carries inline, base64-encoded (`d("widgets/x.json","<base64>")`):
 * decoded, so that the scan reads what a browser would show.
 */
function inlineReportData(path: string, html: string): Output[] {
  return [...html.matchAll(/\bd\("([^"]+)","([A-Za-z0-9+/=]+)"\)/g)].map((match) => ({
    path: `${path} → ${match[1]}`,
    text: Buffer.from(match[2] ?? "", "base64").toString("utf8"),
  }));
}

/** Every file under `folder`, recursively, as text (with the inline data of HTML reports decoded). */
export async function filesUnder(folder: string): Promise<Output[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path, text: await readFile(path, "utf8") };
      }),
  );
  return files.flatMap((file) => [
    file,
    ...(file.path.endsWith(".html") ? inlineReportData(file.path, file.text) : []),
  ]);
}

/** Where any of `needles` occurs in `outputs`: `<output>: <first 12 characters of the needle>…`. */
export function leaks(outputs: readonly Output[], needles: readonly string[]): string[] {
  const found: string[] = [];
  for (const { path, text } of outputs) {
    for (const needle of needles) if (text.includes(needle)) found.push(`${path}: ${needle.slice(0, 12)}…`);
  }
  return found;
}
