// Shared with the test kit users get: the implementation lives in src/testing/pod-specs.ts.
export * from '../../src/testing/pod-specs';
