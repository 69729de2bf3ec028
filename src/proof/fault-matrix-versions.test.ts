/**
 * The fault matrix at the other versions: each (non-chaos) fault, already proven on its primary target with every
 * suite, is planted again in the reference target of every other iSHARE version it applies to (2.0, 2.1, 3.0),
 * where exactly its cases at that version (`caughtByVersion`, else `caughtBy`) fail. To stay lean, these runs take
 * only the suites of the cases the fault names (`suitesReachedBy`); the primary runs prove that nothing else
 * fails. A file of its own so that vitest proves it in parallel with the other families.
 */
import { describeFaultMatrixAcrossVersions, isChaosFault } from "./fault-matrix.fixture.ts";

describeFaultMatrixAcrossVersions("every family", (name) => !isChaosFault(name));
