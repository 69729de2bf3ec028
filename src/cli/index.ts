/** The command-line interface; `main(argv)` is also what tests call in-process. */

export { EXIT, type ExitCode } from "./exit-codes.ts";
export { type CliIo, processIo, type TextOut } from "./io.ts";
export { COMMANDS, main, mainUsage } from "./main.ts";
export { conductRun, exitCodeFor, isConfigProblem } from "./run.ts";
