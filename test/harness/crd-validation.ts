// Shared with the test kit users get: the implementation lives in src/testing/crd-validation.ts.
export * from '../../src/testing/crd-validation';
