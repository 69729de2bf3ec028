/**
 * Test support: opens a page in the machine's headless Chromium (Debian's `chromium`, never a downloaded
 * browser) over the DevTools protocol, with undici's WebSocket, and records every network request the page
 * makes. A fresh profile, no background networking, and every host name mapped to nowhere, so even a page
 * that tries to phone home cannot reach anything; the attempt is still recorded.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "undici";

/** The chromium binary on PATH, or undefined when none is installed. */
export function findChromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const path = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (path !== "") return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export interface OpenedPage {
  /** Every URL the page requested (the document itself included). */
  readonly requests: string[];
  /** Evaluates an expression in the page and returns its (JSON-serialisable) value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; rejects with `what` after `timeoutMs`. */
  waitFor(expression: string, what: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--no-first-run",
  "--no-default-browser-check",
  "--allow-file-access-from-files",
  // Nothing resolves: a page that tries to fetch from the internet gets nowhere (and is recorded trying).
  "--host-resolver-rules=MAP * ~NOTFOUND",
  "--remote-debugging-port=0",
];

/** Waits for Chromium's "DevTools listening on ws://…" line on stderr. */
function devtoolsUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`chromium gave no DevTools URL within ${timeoutMs} ms: ${seen.slice(-500)}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited (${code}) before listening: ${seen.slice(-500)}`));
    });
  });
}

/** Starts Chromium, opens `url` in a new page and resolves once the page's load event fired. */
export async function openPage(chromium: string, url: string, timeoutMs = 60_000): Promise<OpenedPage> {
  const profile = await mkdtemp(join(tmpdir(), "chromium-profile-"));
  const child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const cleanup = async (): Promise<void> => {
    child.kill("SIGKILL");
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const browserUrl = await devtoolsUrl(child, timeoutMs);
    const socket = new WebSocket(browserUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error("cannot connect to chromium's DevTools")), {
        once: true,
      });
    });
    let nextId = 1;
    const pending = new Map<number, { resolve: (m: CdpMessage) => void; reject: (e: Error) => void }>();
    const listeners: ((message: CdpMessage) => void)[] = [];
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(message.error.message));
        else waiting?.resolve(message);
      } else {
        for (const listener of listeners) listener(message);
      }
    });
    const send = (method: string, params: object = {}, sessionId?: string): Promise<CdpMessage> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });

    const created = await send("Target.createTarget", { url: "about:blank" });
    const targetId = String(created.result?.["targetId"]);
    const attached = await send("Target.attachToTarget", { targetId, flatten: true });
    const sessionId = String(attached.result?.["sessionId"]);
    const requests: string[] = [];
    let loaded: () => void = () => {};
    const load = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    listeners.push((message) => {
      if (message.method === "Network.requestWillBeSent") {
        const request = message.params?.["request"] as { url?: string } | undefined;
        if (request?.url) requests.push(request.url);
      }
      if (message.method === "Page.loadEventFired") loaded();
    });
    await send("Network.enable", {}, sessionId);
    await send("Page.enable", {}, sessionId);
    await send("Page.navigate", { url }, sessionId);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      load,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${url} did not load within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));

    const evaluate = async <T>(expression: string): Promise<T> => {
      const answer = await send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
      const result = answer.result as { result?: { value?: unknown }; exceptionDetails?: { text?: string } };
      if (result.exceptionDetails) throw new Error(`${expression}: ${result.exceptionDetails.text}`);
      return result.result?.value as T;
    };
    return {
      requests,
      evaluate,
      async waitFor(expression, what, waitMs) {
        const until = Date.now() + waitMs;
        for (;;) {
          if (await evaluate<boolean>(`Boolean(${expression})`)) return;
          if (Date.now() > until) throw new Error(`${what}: not seen within ${waitMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      },
      async close() {
        socket.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
