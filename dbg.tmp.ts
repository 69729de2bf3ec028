import { prepareRun } from "./src/cli/builtin-target.ts";
import { runAll } from "./src/engine/index.ts";
const chaosProofRun = (f: string) => ({ targetsFile: "src/proof/chaos-targets.yaml", targetName: ["chaos.never-answers","chaos.slow-headers","chaos.stalled-body","chaos.trickle"].includes(f) ? "reference-chaos" : "reference-chaos-patient" });
const fault = process.argv[2]!;
const run = await prepareRun({ targetsFile: "targets.yaml", targetName: "reference", faults: [fault], caseTimeoutMs: 60000, ...chaosProofRun(fault) });
const r = await runAll(run);
for (const x of r) if (x.status !== "passed" && x.status !== "skipped") console.log(x.id, x.status, x.message.slice(0, 300));
await run.close();
