import { CronExpressionParser } from 'cron-parser';
import { IConstruct } from 'constructs';
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
  fields.forEach((field, index) => checkField(scope, prop, value, field, index));
  try {
    CronExpressionParser.parse(`0 ${fields.join(' ')}`, { strict: false }).next();
  } catch (error) {
    throw propError(scope, prop, value, `${(error as Error).message.replace(/\.$/, '')}; it must be ${EXAMPLE}`);
  }
  return value;
}

function checkField(scope: IConstruct, prop: string, value: string, field: string, index: number): void {
  const names = NAMES[index] ?? [];
  for (const part of field.split(',')) {
    const [range, step, extra] = part.split('/');
    const bad = (why: string) => propError(scope, prop, value, `the ${FIELDS[index]} field ${JSON.stringify(field)} ${why}; it must be ${EXAMPLE}`);
    if (extra !== undefined || (step !== undefined && !/^[0-9]+$/.test(step))) throw bad('has a malformed step');
    if (step !== undefined && Number(step) === 0) throw bad('has a step of 0');
    if (range === '*' || (range === '?' && (index === 2 || index === 4))) continue;
    const ends = range.split('-');
    if (ends.length > 2 || ends.some(end => !(/^[0-9]+$/.test(end) || names.includes(end.toLowerCase())))) {
      throw bad(`has ${JSON.stringify(part)}, which is not a number${names.length > 0 ? ', a name' : ''}, a range, "*"${index === 2 || index === 4 ? ' or "?"' : ''}`);
    }
    if (index === 4 && ends.some(end => end === '7')) throw bad('uses 7 for Sunday, which Kubernetes rejects; use 0 or "sun"');
  }
}
