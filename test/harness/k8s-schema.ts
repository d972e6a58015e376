// Shared with the test kit users get: the implementation lives in src/testing/k8s-schema.ts.
export * from '../../src/testing/k8s-schema';
