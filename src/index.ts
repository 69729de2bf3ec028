/**
 * The package's public entry (`import … from "ishare-conformance"`): the parts of the harness that are useful
 * on their own. For now the delegation toolkit: read a mask or evidence, evaluate evidence against a mask,
 * compare an answer with its question, and the version-dependent delegation member names.
 */
export {
  type DelegationEvidence,
  type DelegationMask,
  type DelegationNames,
  type DelegationRequest,
  delegationNames,
  type EchoOptions,
  type Effect,
  type EvaluateOptions,
  type Evaluation,
  echoProblems,
  evaluate,
  type Policy,
  type PolicySet,
  type PolicyTarget,
  type PolicyVerdict,
  previousStepsOf,
  type ReadResult,
  type ResourceTarget,
  type Rule,
  type RuleTarget,
  readEvidence,
  readMask,
  requestOf,
  sameTarget,
  withPreviousSteps,
} from "./delegation/index.ts";
