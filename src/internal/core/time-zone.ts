import { IConstruct } from 'constructs';
import { propError } from './errors';
import { TIME_ZONE_NAMES, TZDATA_VERSION } from './time-zones.generated';

let known: ReadonlySet<string> | undefined;
let byLowerCase: ReadonlyMap<string, string> | undefined;

/**
 * Validates an IANA time zone name (`'Europe/Berlin'`, `'UTC'`) as the CronJob controller
 * looks it up, with Go's `time.LoadLocation`: a zone or link name of the tz database, spelled
 * exactly (case matters). Names only ICU still knows (Node's Intl accepts `US/Pacific-New` and
 * `Canada/East-Saskatchewan`, which tzdata removed), offsets (`'+01:00'`) and `'Local'` are
 * rejected. The names are a committed list read from the tzdata package (time-zones.generated.ts).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones
 */
export function checkTimeZone(scope: IConstruct, prop: string, value: string): string {
  known ??= new Set(TIME_ZONE_NAMES);
  if (typeof value === 'string' && known.has(value)) return value;
  byLowerCase ??= new Map(TIME_ZONE_NAMES.map(name => [name.toLowerCase(), name]));
  const guess = typeof value === 'string' ? byLowerCase.get(value.toLowerCase()) : undefined;
  const hint = guess !== undefined ? ` (did you mean ${JSON.stringify(guess)}?)` : '';
  throw propError(scope, prop, value, `must be a time zone name of the IANA tz database (tzdata ${TZDATA_VERSION}), spelled as there, such as "Europe/Berlin" or "UTC"${hint}; names the tz database removed are refused by the CronJob controller`);
}
