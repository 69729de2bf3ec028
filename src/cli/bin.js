#!/usr/bin/env node
// Command-line entry: registers tsx so the TypeScript sources run without a build step, then hands over to main.ts.
import { fileURLToPath } from "node:url";

// Interrupts from the very first moment: until a command claims them (src/cli/interrupt.ts), Ctrl-C and
// SIGTERM end the process with the documented 130; once claimed, the command winds down and writes its reports.
const hook = { handler: undefined };
globalThis[Symbol.for("ishare-conformance.interrupt-hook")] = hook;
const onInterrupt = () => (hook.handler ? hook.handler() : process.exit(130));
process.on("SIGINT", onInterrupt);
process.on("SIGTERM", onInterrupt);

const { register } = await import("tsx/esm/api");

// Output piped into `head` and the like: stop quietly once the reader is gone.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Our own tsconfig, whatever the current directory holds.
register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
