/**
 * The vitest entry of a conformance run (not a *.test.ts file: our own test run must not pick it up).
 * vite transforms only this file: it registers tsx in the worker and loads the cases module and the engine
 * natively (vitest-run.ts marks the rest of src/ external), so they come from tsx's disk cache instead of
 * being transformed again on every run.
 */
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
await import("./conformance-cases.ts");
