/**
 * The fault matrix for every family but the token endpoint's (capabilities, registry, delegation, ...): a file
 * of its own so that vitest proves it in parallel with fault-matrix.test.ts.
 */
import {
  describeFaultMatrix,
  isChaosFault,
  isOidcFault,
  isTokenFault,
  suitesWithoutOidc,
} from "./fault-matrix.fixture.ts";

describeFaultMatrix(
  "capabilities, registry, delegation",
  (name) => !isTokenFault(name) && !isChaosFault(name) && !isOidcFault(name),
  suitesWithoutOidc(),
);
