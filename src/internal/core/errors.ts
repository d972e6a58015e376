import { IConstruct } from 'constructs';

/**
 * Formats a received value for an error message: strings quoted, objects as JSON.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * The error every construct throws for bad input: it names the construct path, the prop,
 * the value received and what is allowed, so the message alone is enough to fix it.
 */
export class PropValidationError extends Error {
  constructor(
    public readonly path: string,
    public readonly prop: string,
    public readonly value: unknown,
    public readonly allowed: string,
  ) {
    super(`${path}: invalid ${prop} ${describeValue(value)}: ${allowed}`);
    this.name = 'PropValidationError';
  }
}

/** Builds a {@link PropValidationError} for `scope` (use with `throw`). */
export function propError(scope: IConstruct, prop: string, value: unknown, allowed: string): PropValidationError {
  return new PropValidationError(scope.node.path, prop, value, allowed);
}
