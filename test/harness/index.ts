// The test harness every construct's tests go through. See README in this folder's parent tests.
export { Manifest, HarnessOptions, HardeningRule, Problem } from './types';
export { synthValid } from './synth';
export { validateManifests, manifestProblems, formatProblems } from './validate';
export { findObject } from './find';
export { validateWorkflow, validateWorkflows, WorkflowFile } from './workflow';
export { polarisFindings, PolarisFinding } from './polaris';
export { isPinnedImage, HARDENING_RULES } from './hardening';
