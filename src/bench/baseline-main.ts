/**
 * The bare script of the benchmark as its own process: `node --import tsx baseline-main.ts N C` generates the
 * test PKI, starts the reference target and performs N token exchanges with undici + jose, C at a time,
 * then prints its timings as one JSON line. The benchmark times this process as it times the CLI's.
 */
import { runBaseline } from "./baseline.ts";

const exchanges = Number(process.argv[2] ?? "82");
const concurrency = Number(process.argv[3] ?? "4");
const times = await runBaseline(exchanges, concurrency);
process.stdout.write(`${JSON.stringify(times)}\n`);
