/**
 * Reads a configuration input (targets.yaml, a suite, a key, a certificate chain, a delegation mask) the safe
 * way: only a regular file, never more than {@link MAX_CONFIG_FILE_BYTES}. A FIFO would block forever and
 * /dev/zero would fill the memory; both are refused with a reason instead. The FIFO is opened non-blocking,
 * so even opening it cannot hang.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";

/** Largest configuration file read (16 MiB: far above any real key, chain, mask or targets file). */
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;

/** Why a file cannot be read, in words for a message: `file not found`, `not a regular file (a FIFO)`, … */
export class UnreadableFileError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = "UnreadableFileError";
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a plain file";
}

function errnoReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "not a regular file (a directory)";
  return code ?? String(error);
}

/**
 * The text (UTF-8) of `path`. @throws UnreadableFileError when it is missing, unreadable, not a regular file
 * or larger than `maxBytes`.
 */
export function readRegularFile(path: string, maxBytes = MAX_CONFIG_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UnreadableFileError(errnoReason(error), { cause: error });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new UnreadableFileError(`not a regular file (${kindOf(stats)}); point it at a regular file`);
    }
    if (stats.size > maxBytes) {
      throw new UnreadableFileError(
        `the file is ${stats.size} bytes; at most ${maxBytes} are read (is it the right file?)`,
      );
    }
    // Read at most maxBytes + 1, whatever the file grows to meanwhile.
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) {
        throw new UnreadableFileError(`the file grew beyond ${maxBytes} bytes while being read`);
      }
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length).toString("utf8");
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError(errnoReason(error), { cause: error });
  } finally {
    closeSync(fd);
  }
}
