import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

/** Prometheus's duration units, in milliseconds, largest first. */
const UNITS: ReadonlyArray<[string, number]> = [['y', 31_536_000_000], ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
/** Prometheus's own duration syntax: units in decreasing order, each at most once, integers only. */
const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Milliseconds of a Prometheus duration (`'30s'`, `'1h30m'`, `'30d'`), or undefined when
 * Prometheus cannot parse it (fractions, unknown or repeated units, wrong order, zero).
 * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration
 */
export function promDurationMillis(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const match = PROM_DURATION.exec(value);
  if (!match) return undefined;
  const ms = UNITS.reduce((total, [, unit], i) => total + Number(match[i + 1] ?? 0) * unit, 0);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** Validates a Prometheus duration and returns it; the error suggests the fix. */
export function checkPromDuration(scope: IConstruct, prop: string, value: string, minMillis = 1): string {
  const ms = promDurationMillis(value);
  if (ms === undefined) {
    const hint = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? ` (did you mean "${value}s"?)` : '';
    throw propError(scope, prop, value, `must be a Prometheus duration: whole numbers with units y, w, d, h, m, s or ms, largest first, e.g. "30s", "1h30m", "30d"${hint}`);
  }
  if (ms < minMillis) throw propError(scope, prop, value, `must be at least ${formatPromDuration(minMillis)}`);
  return value;
}

/** Writes milliseconds as a Prometheus duration (`5_400_000` → `'1h30m'`). */
export function formatPromDuration(ms: number): string {
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS.filter(([u]) => u !== 'y' && u !== 'w')) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out || '0s';
}
