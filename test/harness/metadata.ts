// Shared with the test kit users get: the implementation lives in src/testing/metadata.ts.
export * from '../../src/testing/metadata';
