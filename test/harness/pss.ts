// Shared with the test kit users get: the implementation lives in src/testing/pod-security.ts.
export * from '../../src/testing/pod-security';
