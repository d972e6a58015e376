// Shared with the test kit users get: the implementation lives in src/testing/crd-schema.ts.
export * from '../../src/testing/crd-schema';
