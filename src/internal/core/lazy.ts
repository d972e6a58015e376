import { Lazy } from 'cdk8s';

/**
 * A value computed when the manifest is synthesised, typed as the value it produces, for fields
 * that depend on constructs created later (ports added by later `allow()` calls, directions denied
 * by a construct created afterwards).
 */
export function lazy<T>(produce: () => T): T {
  return Lazy.any({ produce }) as T;
}
