// Drill: the burn-rate alerts fire for the burns they exist for, and stay quiet just below, for a
// 30-day and a 7-day window.
//
// SRE workbook (https://sre.google/workbook/alerting-on-slos/#6-multiwindow-multi-burn-rate-alerts):
// page when 2 % of the budget burns in 1h (5m short window) or 5 % in 6h (30m); ticket when 10 %
// burns in 3 days (6h). Burn-rate factor = share of the budget spent × window ÷ alert window:
// 14.4 / 6 / 1 for 30 days, 3.36 / 1.4 / 1 (0.23 raised to 1) for 7 days. A burn b starting from a
// clean state makes the long window's ratio reach b × elapsed ÷ long window, so the pair with
// factor f fires after f ÷ b of its long window; each check is ≥ 8 % before or ≥ 10 % after that.
//
// On main before this change the 30-day factors were used for every window: over 7 days a 5× burn
// (the whole week's budget gone in 34 hours) did not page at all (main: the 1h pair needed 14.4×,
// the 6h pair 6×; only the 24h ticket fired, after 14 hours), and a 2× burn (the budget gone in
// 3.5 days) raised nothing for a day (the 24h ticket needed 3×).
//
// Prometheus's engine (promtool) evaluates the objective's PrometheusRule; ALERTS holds each
// alert's state, told apart by its `long_window` label.
import { evaluate, InputSeries } from './promtool';
import { sloGroups } from './slo-scenario';

const RPS = 10;
const BUDGET = 0.001; // 99.9 %

interface Burn {
  readonly window: '30d' | '7d';
  /** The burn rate: errors are `burn × budget` of the requests. */
  readonly burn: number;
  /** Step of the series and the rule evaluation, in seconds. */
  readonly step: number;
}

const LONG_SECONDS: Record<string, number> = { '1h': 3600, '6h': 21600, '24h': 86400, '3d': 259200 };

/** Requests of `shop/api` at 10/s, bad ones `burn × 0.1 %` of them from step `healthy` on. */
function burnSeries(b: Burn, healthy: number, steps: number): InputSeries[] {
  const labels = 'reporter="destination",destination_service_namespace="shop",destination_service_name="api",destination_workload="api"';
  const bad = RPS * b.burn * BUDGET * b.step;
  return [
    { series: `istio_requests_total{${labels},response_code="200"}`, values: `0+${RPS * b.step - bad}x${healthy + steps}` },
    { series: `istio_requests_total{${labels},response_code="503"}`, values: `0x${healthy - 1} 0+${bad}x${steps}` },
  ];
}

const GROUPS = { '30d': sloGroups({ availability: 99.9, window: '30d' }), '7d': sloGroups({ availability: 99.9, window: '7d' }) };

/**
 * The alerts of one pair (`long_window`) firing at each time after the burn started (in steps),
 * as the severity that fired or `quiet`. The burn follows a healthy long window (a clean state).
 */
function firing(b: Burn, longWindow: string, afterSteps: number[]): string[] {
  const last = Math.max(...afterSteps);
  const healthy = LONG_SECONDS[longWindow] / b.step;
  const results = evaluate(
    { series: burnSeries(b, healthy, last), groups: GROUPS[b.window], interval: `${b.step}s`, evaluationInterval: `${b.step}s` },
    afterSteps.map(n => ({ expr: `ALERTS{alertstate="firing",long_window="${longWindow}"}`, at: `${(healthy + n) * b.step}s` })),
  );
  return results.map(samples => (samples.length === 0 ? 'quiet' : samples.map(s => s.labels.severity).join(',')));
}

const MINUTE = { step: 60 };
// the long pairs read only their own windows (6h and more), so coarser steps keep promtool fast
const FIVE_MINUTES = { step: 300 };
const FIFTEEN_MINUTES = { step: 900 };

describe('drill: burn-rate alerts over a 30-day window (workbook factors 14.4 / 6 / 1)', () => {
  test('a 15× burn pages on the 1h pair after ~58 minutes (14.4 ÷ 15 of an hour); 14× does not', () => {
    expect(firing({ window: '30d', burn: 15, ...MINUTE }, '1h', [50, 66, 120])).toEqual(['quiet', 'page', 'page']);
    expect(firing({ window: '30d', burn: 14, ...MINUTE }, '1h', [66, 120, 180])).toEqual(['quiet', 'quiet', 'quiet']);
  });

  test('a 6.5× burn pages on the 6h pair after ~5.5 hours; 5.5× does not', () => {
    expect(firing({ window: '30d', burn: 6.5, ...FIVE_MINUTES }, '6h', [60, 75])).toEqual(['quiet', 'page']);
    expect(firing({ window: '30d', burn: 5.5, ...FIVE_MINUTES }, '6h', [75, 96])).toEqual(['quiet', 'quiet']);
  });

  test('a 1.1× burn tickets on the 3d pair (after ~2.73 days; checked at 2.5 and 3); 0.9× does not', () => {
    const day = 96;
    expect(firing({ window: '30d', burn: 1.1, ...FIFTEEN_MINUTES }, '3d', [2.5 * day, 3 * day])).toEqual(['quiet', 'ticket']);
    expect(firing({ window: '30d', burn: 0.9, ...FIFTEEN_MINUTES }, '3d', [3.5 * day])).toEqual(['quiet']);
  });
});

describe('drill: burn-rate alerts over a 7-day window (factors 3.36 / 1.4 / 1 / 1)', () => {
  test('a 5× burn (the week\'s budget gone in 34 hours) pages on the 1h pair within 45 minutes (main: no page)', () => {
    expect(firing({ window: '7d', burn: 5, ...MINUTE }, '1h', [30, 45])).toEqual(['quiet', 'page']);
  });

  test('a 3.5× burn pages on the 1h pair after ~58 minutes; 3.2× does not', () => {
    expect(firing({ window: '7d', burn: 3.5, ...MINUTE }, '1h', [50, 66])).toEqual(['quiet', 'page']);
    expect(firing({ window: '7d', burn: 3.2, ...MINUTE }, '1h', [66, 120])).toEqual(['quiet', 'quiet']);
  });

  test('a 1.5× burn pages on the 6h pair after ~5.6 hours; 1.3× does not (main: 6× needed)', () => {
    expect(firing({ window: '7d', burn: 1.5, ...FIVE_MINUTES }, '6h', [60, 75])).toEqual(['quiet', 'page']);
    expect(firing({ window: '7d', burn: 1.3, ...FIVE_MINUTES }, '6h', [75, 96])).toEqual(['quiet', 'quiet']);
  });

  test('a 2× burn tickets on the 24h pair after ~12 hours (main: 3× needed); 0.9× never tickets', () => {
    expect(firing({ window: '7d', burn: 2, ...FIFTEEN_MINUTES }, '24h', [44, 56])).toEqual(['quiet', 'ticket']);
    expect(firing({ window: '7d', burn: 0.9, ...FIFTEEN_MINUTES }, '24h', [100, 192])).toEqual(['quiet', 'quiet']);
  });
});
