import { IConstruct } from 'constructs';
import { Objective } from './objective';
import { checkPromDuration, promDurationMillis } from './prom-duration';
import { formatNumber } from './promql';
import { propError } from '../core/errors';

/** One of the workbook's window pairs: alert when `budgetPercent` of the budget burns within `long`. */
export interface BurnRatePair {
  readonly severity: 'page' | 'ticket';
  readonly long: string;
  readonly short: string;
  /** The share of the window's error budget that burns within `long` at the alert's burn rate. */
  readonly budgetPercent: number;
}

/** One multi-window burn-rate alert: fires when both windows burn the budget `factor` times too fast. */
export interface BurnRateWindow extends BurnRatePair {
  readonly factor: number;
}

/**
 * The SRE workbook's multi-window, multi-burn-rate pairs: page when 2 % of the budget burns in an
 * hour or 5 % in six hours; ticket when 10 % burns in a day or in three.
 * @see https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts
 */
export const BURN_RATE_PAIRS: readonly BurnRatePair[] = [
  { severity: 'page', long: '1h', short: '5m', budgetPercent: 2 },
  { severity: 'page', long: '6h', short: '30m', budgetPercent: 5 },
  { severity: 'ticket', long: '24h', short: '2h', budgetPercent: 10 },
  { severity: 'ticket', long: '3d', short: '6h', budgetPercent: 10 },
];

/**
 * The burn-rate factors of an objective's window (workbook: factor = share of the budget spent ×
 * window ÷ alert window; 14.4 / 6 / 3 / 1 for 30 days, 3.36 / 1.4 / 1 / 1 for 7 days). A factor
 * below 1 would alert on a burn that leaves budget at the end of the window, so a ticket's factor
 * is at least 1 (a ticket then means "spending faster than the budget allows"); a page's never
 * is below 1 for a window of {@link MIN_OBJECTIVE_WINDOW} or more.
 */
export function burnRateWindows(window: string): BurnRateWindow[] {
  const windowMs = promDurationMillis(window)!;
  return BURN_RATE_PAIRS.map(pair => ({
    ...pair,
    factor: Math.max(1, Number(((pair.budgetPercent * windowMs) / (100 * promDurationMillis(pair.long)!)).toPrecision(12))),
  }));
}

/**
 * The shortest objective window: below 5 days the 6h page would fire on a burn rate below 1
 * (5 % of the budget in 6 hours is slower than the budget allows), paging for a burn that ends
 * the window with budget left.
 */
export const MIN_OBJECTIVE_WINDOW = '5d';

/** Validates an objective's window: a Prometheus duration of at least {@link MIN_OBJECTIVE_WINDOW}. */
export function checkObjectiveWindow(scope: IConstruct, value: string): string {
  checkPromDuration(scope, 'window', value);
  if (promDurationMillis(value)! < promDurationMillis(MIN_OBJECTIVE_WINDOW)!) {
    throw propError(scope, 'window', value, `must be at least ${MIN_OBJECTIVE_WINDOW}: the alerts page when 5 % of the window's budget burns in 6 hours, which for a shorter window is slower than the budget allows (a burn rate below 1)`);
  }
  return value;
}

/**
 * An alert fires when more than `factor × budget` of the requests are bad; from a ratio of 1 on it
 * never can. The error names the lowest objective whose alerts can fire over this window.
 */
export function checkBurnRatesReachable(scope: IConstruct, prop: string, window: string, objective: Objective): void {
  const highest = burnRateWindows(window)[0];
  if (highest.factor * Number(objective.budget) < 1) return;
  const lowest = formatNumber(Math.ceil((100 - 100 / highest.factor) * 100) / 100);
  throw propError(scope, prop, objective.percent, `over a window of ${window} the ${highest.long}/${highest.short} page fires only when more than ${formatNumber(highest.factor)} × ${formatNumber(Number(objective.budget) * 100)}% of requests are bad, which can never happen; use an objective above ${lowest}, or a shorter window (burn-rate factors grow with the window)`);
}
