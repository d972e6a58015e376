import { IConstruct } from 'constructs';
import type * as CronParser from 'cron-parser';
import { propError } from './errors';

/** The macros a CronJob schedule accepts, and the five-field expressions they stand for. */
const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;
const NAMES: Record<number, readonly string[]> = {
  3: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  4: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};
const EXAMPLE = 'a five-field cron expression "minute hour day-of-month month day-of-week" such as "30 2 * * *" (02:30 every day) or "*/15 * * * *", or one of @yearly, @monthly, @weekly, @daily, @hourly';

/**
 * Validates a CronJob schedule as the Kubernetes controller parses it: five fields (minute
 * precision, so it fires at most once a minute) or a macro such as `@daily`; numbers, `*`,
 * ranges, lists, steps, month and weekday names and `?` for a day field; no seconds field, no
 * `TZ=` prefix (the `timeZone` prop says it) and none of the Quartz extensions (`L`, `W`, `#`,
 * `H`) that Kubernetes rejects. A schedule that can never fire (`0 0 30 2 *`) is an error too.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export function checkCronSchedule(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw propError(scope, prop, value, `must be ${EXAMPLE}`);
  if (/^\s*(CRON_)?TZ=/.test(value)) {
    throw propError(scope, prop, value, 'a time zone in the schedule is rejected by Kubernetes: give the zone in the timeZone prop and the bare expression here');
  }
  const trimmed = value.trim();
  if (trimmed.startsWith('@')) {
    if (!(trimmed in MACROS)) throw propError(scope, prop, value, `is not a macro Kubernetes accepts; use ${EXAMPLE}`);
    return value;
  }
  const fields = trimmed.split(/\s+/);
  if (fields.length === 6) {
    throw propError(scope, prop, value, `has six fields, but a CronJob fires at most once a minute and has no seconds field; drop the first field (${JSON.stringify(fields.slice(1).join(' '))})`);
  }
  if (fields.length !== 5) throw propError(scope, prop, value, `has ${fields.length} fields; it must be ${EXAMPLE}`);
  // the library reads each field itself (Kubernetes' ranges and syntax, duplicates allowed as
  // Kubernetes allows them), then hands the normalised expression to cron-parser, which finds
  // the next time it fires: a schedule that never fires is an error
  const normalised = fields.map((field, index) => normaliseField(scope, prop, value, field, index));
  try {
    // loaded with the first schedule, not with the library
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('cron-parser') as typeof CronParser).CronExpressionParser.parse(`0 ${normalised.join(' ')}`, { strict: false }).next();
  } catch (error) {
    throw propError(scope, prop, value, `never fires (${(error as Error).message.replace(/\.$/, '').toLowerCase()}); it must be ${EXAMPLE}`);
  }
  return value;
}

const BOUNDS: ReadonlyArray<readonly [number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];

/**
 * Reads one field as the Kubernetes controller does and returns it as `*` or a sorted list of
 * distinct values: numbers or names within the field's bounds, `*` (and `?` in the day
 * fields), ranges `a-b` with `a <= b`, steps `/n` with `n >= 1` (`a/n` meaning `a-max/n`), lists.
 */
function normaliseField(scope: IConstruct, prop: string, value: string, field: string, index: number): string {
  const [min, max] = BOUNDS[index];
  const names = NAMES[index] ?? [];
  const dayField = index === 2 || index === 4;
  const bad = (why: string) => propError(scope, prop, value, `the ${FIELDS[index]} field ${JSON.stringify(field)} ${why}; it must be ${EXAMPLE}`);
  if (field === '*' || (field === '?' && dayField)) return '*';
  const number = (text: string): number => {
    const named = names.indexOf(text.toLowerCase());
    const n = named >= 0 ? named + min : /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(n)) throw bad(`has ${JSON.stringify(text)}, which is not a number${names.length > 0 ? ', a name' : ''}, a range, "*"${dayField ? ' or "?"' : ''}`);
    if (index === 4 && n === 7) throw bad('uses 7 for Sunday, which Kubernetes rejects; use 0 or "sun"');
    if (n < min || n > max) throw bad(`has ${n}, outside ${min}-${max}`);
    return n;
  };
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || (step !== undefined && !/^[0-9]+$/.test(step))) throw bad('has a malformed step');
    const every = step === undefined ? 1 : Number(step);
    if (every === 0) throw bad('has a step of 0');
    const ends = range.split('-');
    if (ends.length > 2 || ends.some(end => end === '')) throw bad(`has ${JSON.stringify(part)}, which is not a number${names.length > 0 ? ', a name' : ''}, a range, "*"${dayField ? ' or "?"' : ''}`);
    const star = range === '*' || (range === '?' && dayField);
    const from = star ? min : number(ends[0]);
    const to = star ? max : ends.length === 2 ? number(ends[1]) : step !== undefined ? max : from;
    if (from > to) throw bad(`has the range ${JSON.stringify(range)}, whose start is after its end`);
    for (let n = from; n <= to; n += every) values.add(n);
  }
  return [...values].sort((a, b) => a - b).join(',');
}
