// Shared with the test kit users get: the implementation lives in src/testing/shape.ts.
export * from '../../src/testing/shape';
