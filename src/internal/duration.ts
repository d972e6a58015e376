import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from './errors';

/** A duration as props accept it: a string such as `'2s'`, `'500ms'`, `'1m30s'`, or a cdk8s `Duration`. */
export type DurationInput = string | Duration;

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
const DURATION = /^(?:[0-9]+(?:\.[0-9]+)?(?:h|ms|m|s|us|µs|ns))+$/;
const PART = /([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)/g;
const ALLOWED = 'must be a duration of at least 1ms: a number with a unit h, m, s or ms, e.g. "2s", "500ms", "1m30s", or a cdk8s Duration';

/** Parses a Go/Istio duration string (`'1m30s'`) into milliseconds, or undefined when malformed. */
export function parseDuration(value: string): number | undefined {
  if (typeof value !== 'string' || !DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/**
 * Validates a duration as Istio accepts it (a Go duration string of at least 1 ms, the rule of
 * the Istio CRDs) and returns the string to write: a string is kept as given, a cdk8s
 * `Duration` is written in the largest whole unit (`Duration.minutes(1)` → `'1m'`).
 */
export function checkDuration(scope: IConstruct, prop: string, value: DurationInput): string {
  if (isDuration(value)) return formatDuration(scope, prop, value);
  const ms = parseDuration(value);
  if (ms === undefined) {
    const hint = typeof value === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(value.trim()) ? ` (did you mean "${value.trim()}s"?)` : '';
    throw propError(scope, prop, value, `${ALLOWED}${hint}`);
  }
  if (ms < 1) throw propError(scope, prop, value, ALLOWED);
  return value;
}

function isDuration(value: unknown): value is Duration {
  return typeof value === 'object' && value !== null && typeof (value as Duration).toMilliseconds === 'function';
}

function formatDuration(scope: IConstruct, prop: string, value: Duration): string {
  let ms: number;
  try {
    ms = value.toMilliseconds();
  } catch {
    throw propError(scope, prop, value.toHumanString(), `${ALLOWED}; use whole milliseconds`);
  }
  if (ms < 1) throw propError(scope, prop, value.toHumanString(), ALLOWED);
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
