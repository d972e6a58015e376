// Shared with the test kit users get: the implementation lives in src/testing/yaml-documents.ts.
export * from '../../src/testing/yaml-documents';
