// The object and problem model is shared with the test kit users get (src/testing/).
export { Manifest, Problem, describe, problem, join, joinKey, pointerToPath } from '../../src/testing/problems';

/** Names of our own hardening rules; each can be skipped per synthesis. */
export type HardeningRule = 'readOnlyRootFilesystem' | 'resources' | 'pinnedImage' | 'serviceAccountToken';

/** Options of one validation run. */
export interface HarnessOptions {
  /** hardening rules to skip for this synthesis, e.g. ['readOnlyRootFilesystem'] when a test deliberately turns a default off */
  readonly skipHardening?: HardeningRule[];
}
