// Shared with the test kit users get: the implementation lives in src/testing/client-node-shape.ts.
export * from '../../src/testing/client-node-shape';
