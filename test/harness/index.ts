// The test harness every construct's tests go through: synthesise, validate everything, find objects.
export { Manifest, HarnessOptions, HardeningRule, Problem } from './types';
export { synthValid } from './synth';
export { chartIn } from './chart';
export { validateManifests, manifestProblems, formatProblems } from './validate';
export { findObject } from './find';
export { validateWorkflow, validateWorkflows, WorkflowFile } from './workflow';
export { polarisEvaluation, polarisFindings, PolarisFinding } from './polaris';
export { polarisRbacFindings } from './polaris-rbac';
export { isPinnedImage, HARDENING_RULES } from './hardening';
export { analysePromql, PromqlAnalysis } from './promql';
