/** Minimal ANSI styling for console output; a no-op when colour is off. */
import type { Outcome } from "../model/result.ts";

export interface Style {
  readonly passed: (text: string) => string;
  readonly failed: (text: string) => string;
  readonly broken: (text: string) => string;
  readonly skipped: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const plain = (text: string): string => text;

/** Styling functions, coloured or plain. */
export function createStyle(colour: boolean): Style {
  if (!colour)
    return { passed: plain, failed: plain, broken: plain, skipped: plain, dim: plain, bold: plain };
  return {
    passed: sgr(32, 39),
    failed: sgr(31, 39),
    broken: sgr(33, 39),
    skipped: sgr(36, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  };
}

/** Colours text by outcome. */
export const styleOutcome = (style: Style, outcome: Outcome, text: string): string =>
  (style[outcome as keyof Style] ?? style.broken)(text);
