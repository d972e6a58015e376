import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { propError } from './errors';

/** A duration as props accept it: a string such as `'2s'`, `'500ms'`, `'1m30s'`, or a cdk8s `Duration`. */
export type DurationInput = string | Duration;

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000 };
const UNIT_NS: Record<string, bigint> = {
  h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1000n, µs: 1000n, ns: 1n,
};
const NS_PER_MS = 1_000_000n;
/** The longest duration Go (and so the API server's CEL `duration()`) can represent: 2^63-1 ns. */
const MAX_NS = 2n ** 63n - 1n;
const DURATION = /^(?:[0-9]+(?:\.[0-9]+)?(?:h|ms|m|s|us|µs|ns))+$/;
const PART = /([0-9]+)(?:\.([0-9]+))?(h|ms|m|s|us|µs|ns)/g;
const ALLOWED = 'must be a duration of at least 1ms in whole milliseconds: a number with a unit h, m, s or ms, e.g. "2s", "500ms", "1m30s", "1.5s", or a cdk8s Duration';
const TOO_LONG = `${ALLOWED}; at most 2562047h (the longest duration Kubernetes can parse)`;

/**
 * Parses a Go duration string (`'1m30s'`) exactly into nanoseconds; undefined when malformed,
 * -1 when a fraction is finer than a nanosecond.
 */
function parseNanos(value: string): bigint | undefined {
  if (typeof value !== 'string' || !DURATION.test(value)) return undefined;
  let total = 0n;
  for (const [, whole, fraction = '', unit] of value.matchAll(PART)) {
    const scale = 10n ** BigInt(fraction.length);
    const scaled = BigInt(whole + fraction) * UNIT_NS[unit];
    if (scaled % scale !== 0n) return -1n;
    total += scaled / scale;
  }
  return total;
}

/**
 * Validates a duration as Istio accepts it and returns the string to write: a Go duration string
 * within Go's range (the API server parses it with CEL `duration()`), of at least 1 ms and in
 * whole milliseconds (Istio's validation rejects finer precision). A string is kept as given; a
 * cdk8s `Duration` is written in the largest whole unit (`Duration.minutes(1)` → `'1m'`).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export function checkDuration(scope: IConstruct, prop: string, value: DurationInput): string {
  if (isDuration(value)) return formatDuration(scope, prop, value);
  const ns = parseNanos(value);
  if (ns === undefined) {
    const hint = typeof value === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(value.trim()) ? ` (did you mean "${value.trim()}s"?)` : '';
    throw propError(scope, prop, value, `${ALLOWED}${hint}`);
  }
  if (ns >= 0n && ns < NS_PER_MS) throw propError(scope, prop, value, ALLOWED);
  if (ns < 0n || ns % NS_PER_MS !== 0n) {
    throw propError(scope, prop, value, `${ALLOWED}; Istio rejects durations finer than a millisecond${suggestMillis(ns)}`);
  }
  if (ns > MAX_NS) throw propError(scope, prop, value, TOO_LONG);
  return value;
}

function suggestMillis(ns: bigint): string {
  if (ns < 0n) return '';
  const ms = ns / NS_PER_MS;
  return ms >= 1n ? ` (did you mean "${ms}ms"?)` : '';
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
  if (BigInt(ms) * NS_PER_MS > MAX_NS) throw propError(scope, prop, value.toHumanString(), TOO_LONG);
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
