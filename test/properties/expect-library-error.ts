import { PropValidationError } from '../../src/internal/core/errors';

/**
 * Runs `build` and returns the library's own error; fails the property when it throws anything
 * else (a TypeError, an error from inside cdk8s) or nothing at all.
 */
export function libraryErrorOf(build: () => unknown): PropValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof PropValidationError) return error;
    throw new Error(`expected the library's own validation error, got: ${(error as Error)?.stack ?? String(error)}`);
  }
  throw new Error('expected a validation error, but the input was accepted');
}
