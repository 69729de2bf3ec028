/**
 * The fault matrix for the chaos faults (hostile targets: never answering, trickling, resetting, huge or
 * malformed bodies, hostile JWTs, bad TLS certificates): a file of its own so that vitest proves it in
 * parallel with the other families. Each run must finish within its bound, exactly the cases the fault names
 * fail or break with a message naming the behaviour, and every other case passes.
 */
import { describeFaultMatrix, isChaosFault } from "./fault-matrix.fixture.ts";

describeFaultMatrix("chaos", isChaosFault);
