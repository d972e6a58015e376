import { IConstruct } from 'constructs';
import { propError } from './errors';

const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;

/**
 * Validates an IANA time zone name (`'Europe/Berlin'`, `'UTC'`) as the CronJob controller
 * looks it up: spelled exactly as in the tz database (case matters) and known to it. Offsets
 * (`'+01:00'`) and `'Local'` are rejected.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
 */
export function checkTimeZone(scope: IConstruct, prop: string, value: string): string {
  let resolved: string | undefined;
  try {
    resolved = typeof value === 'string' ? new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone : undefined;
  } catch {
    resolved = undefined;
  }
  if (resolved === undefined || !ZONE_NAME.test(value)) {
    const hint = resolved !== undefined && resolved !== value ? ` (did you mean ${JSON.stringify(resolved)}?)` : '';
    throw propError(scope, prop, value, `must be an IANA time zone name spelled as in the tz database, such as "Europe/Berlin" or "UTC"${hint}`);
  }
  return value;
}
