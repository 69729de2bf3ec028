#!/usr/bin/env node
// Command-line entry: registers tsx so the TypeScript sources run without a build step, then hands over to main.ts.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

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
