import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

const DURATION = /^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$/;

/**
 * Parses a duration as Argo Rollouts reads pauses and analysis intervals (Go's
 * `time.ParseDuration`), limited to whole hours, minutes and seconds in that order (`'1h30m'`,
 * `'45s'`), and returns its length in seconds; fails on anything else or zero.
 */
export function checkRolloutDuration(scope: IConstruct, prop: string, value: string, extra = ''): number {
  const match = typeof value === 'string' && value !== '' ? DURATION.exec(value) : null;
  const seconds = match ? Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : 0;
  if (!match || seconds <= 0) {
    const hint = typeof value === 'string' && /^[0-9]+$/.test(value) ? ` (did you mean "${value}s"?)` : '';
    throw propError(scope, prop, value, `must be a duration of whole hours, minutes and seconds greater than 0, e.g. "30s", "10m" or "1h30m"${extra}${hint}`);
  }
  return seconds;
}

/** A length in seconds as the shortest Prometheus/Go duration string (`120` → `'2m'`). */
export function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** A length in seconds as a duration Argo Rollouts reads, in hours, minutes and seconds (`330` → `'5m30s'`). */
export function formatDuration(seconds: number): string {
  const parts = [[Math.floor(seconds / 3600), 'h'], [Math.floor((seconds % 3600) / 60), 'm'], [seconds % 60, 's']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('') || '0s';
}
