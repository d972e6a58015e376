import { IConstruct } from 'constructs';
import { formatNumber } from './promql';
import { SliSource } from './sli-source';
import { checkDuration } from '../core/duration';
import { propError } from '../core/errors';

/** What an objective measures. */
export type SliKind = 'availability' | 'latency';

/** One objective: the share of good requests over the window, and the budget of bad ones. */
export interface Objective {
  readonly sli: SliKind;
  /** The percentage of good requests, e.g. 99.9. */
  readonly percent: number;
  /** The fraction of requests allowed to be bad, as an exact decimal (`'0.001'` for 99.9 %). */
  readonly budget: string;
  /** For latency: the threshold as given (`'250ms'`) and in seconds. */
  readonly threshold?: string;
  readonly thresholdSeconds?: number;
}

/** Istio's default buckets of `istio_request_duration_milliseconds`. */
export const ISTIO_DURATION_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

const MAX_DECIMALS = 6;

/**
 * Validates an objective percentage, strictly between 0 and 100 with at most 6 decimals, and
 * returns its error budget as an exact decimal string: 99.9 → `'0.001'` (not 0.0009999…).
 */
export function checkObjectivePercent(scope: IConstruct, prop: string, value: number): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? formatNumber(value) : '';
  const decimals = /^\d+(?:\.(\d+))?$/.exec(text)?.[1]?.length ?? 0;
  if (typeof value !== 'number' || !(value > 0 && value < 100) || !/^\d+(\.\d+)?$/.test(text) || decimals > MAX_DECIMALS) {
    throw propError(scope, prop, value, `must be a percentage strictly between 0 and 100 with at most ${MAX_DECIMALS} decimals, e.g. 99.9 (100 leaves no error budget to alert on)`);
  }
  const scale = 10n ** BigInt(decimals);
  const good = BigInt(text.replace('.', ''));
  return decimalString(100n * scale - good, decimals + 2);
}

/** `numerator / 10^exponent` as a decimal string without trailing zeros. */
function decimalString(numerator: bigint, exponent: number): string {
  const digits = numerator.toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/**
 * Validates a latency threshold (a duration such as `'250ms'` or `'1s'`) and returns it in
 * seconds. With Istio's metrics it must be one of Istio's default histogram buckets, since only
 * a bucket boundary can be counted exactly.
 */
export function checkLatencyThreshold(scope: IConstruct, prop: string, value: string, source: SliSource): number {
  if (typeof value !== 'string') throw propError(scope, prop, value, 'must be a duration string such as "250ms" or "1s"');
  checkDuration(scope, prop, value);
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) seconds += Number(amount) * UNIT_SECONDS[unit];
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s))+$/.test(value)) throw propError(scope, prop, value, 'must be a duration in h, m, s or ms, such as "250ms" or "1s"');
  seconds = Number(seconds.toPrecision(12));
  if (source.name === 'istio') {
    const ms = Number((seconds * 1000).toPrecision(12));
    if (!ISTIO_DURATION_BUCKETS_MS.includes(ms)) {
      throw propError(scope, prop, value, `must be a bucket boundary of istio_request_duration_milliseconds, so requests can be counted against it exactly: ${ISTIO_DURATION_BUCKETS_MS.filter(b => b >= 1).map(b => `${b}ms`).join(', ')}`);
    }
  }
  return seconds;
}
