import { SliSource, SliTarget } from './sli-source';

/**
 * PromQL query builders over one {@link SliSource}: the objectives, their dashboards and
 * progressive delivery's analysis all read requests through these, so that every query selects
 * the same series and keeps canary tracks apart.
 */

/** Options shared by the builders. */
export interface QueryOptions {
  /** Only this track of a canary release (`'stable'`, `'canary'`). @default - every track */
  readonly track?: string;
  /** Keep these labels (e.g. the source's `trackLabel`, to compare tracks). @default - one series */
  readonly by?: readonly string[];
}

/** A PromQL string literal (double-quoted, with `\` and `"` escaped). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders label matchers `{a="1",b=~"2"}`; a value starting with `=~` is a regex matcher. */
export function matchers(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => (v.startsWith('=~') ? `${k}=~${promString(v.slice(2))}` : `${k}=${promString(v)}`));
  return `{${parts.join(',')}}`;
}

/** The matchers of a target's requests, optionally of one track, plus `extra`. */
export function targetMatchers(source: SliSource, target: SliTarget, options: QueryOptions = {}, extra: Record<string, string> = {}): string {
  const track = options.track === undefined ? {} : { [source.trackLabel]: source.trackValue(target, options.track) };
  return matchers({ ...source.selector(target), ...track, ...extra });
}

function sumBy(labels: readonly string[] | undefined, expr: string): string {
  return labels && labels.length > 0 ? `sum by (${labels.join(', ')}) (${expr})` : `sum(${expr})`;
}

/** Requests per second over `window`. */
export function requestRate(source: SliSource, target: SliTarget, window: string, options: QueryOptions = {}): string {
  return sumBy(options.by, `rate(${source.requests}${targetMatchers(source, target, options)}[${window}])`);
}

/**
 * Failed requests (5xx; for gRPC, the server-error status codes) per second over `window`: the
 * series matching any of the source's error matchers, each once (`or`); 0 rather than no series
 * when nothing failed (`or` the total times 0), so ratios and dashboards read 0 instead of "no data".
 */
export function errorRate(source: SliSource, target: SliTarget, window: string, options: QueryOptions = {}): string {
  const failed = source.errorMatchers.map(m => `rate(${source.requests}${targetMatchers(source, target, options, m)}[${window}])`);
  const errors = sumBy(options.by, failed.join(' or '));
  return `(${errors} or ${requestRate(source, target, window, options)} * 0)`;
}

/** The fraction of requests that failed over `window`. */
export function errorRatio(source: SliSource, target: SliTarget, window: string, options: QueryOptions = {}): string {
  return `${errorRate(source, target, window, options)} / ${requestRate(source, target, window, options)}`;
}

/**
 * The `le` matcher of the histogram bucket at `thresholdSeconds`, in the source's unit. A regex,
 * so it matches the bucket whether the server writes `0.25` and `1` (Prometheus 2) or `1.0`
 * (Prometheus 3 normalises classic histogram buckets to floats).
 */
export function bucketMatcher(source: SliSource, thresholdSeconds: number): string {
  const le = formatNumber(thresholdSeconds / source.durationUnitSeconds);
  const escaped = le.replace(/\./g, '\\.');
  return `=~${le.includes('.') ? `${escaped}0*` : `${escaped}(\\.0+)?`}`;
}

/** Measured requests per second over `window` (the histogram's count). */
export function measuredRate(source: SliSource, target: SliTarget, window: string, options: QueryOptions = {}): string {
  return sumBy(options.by, `rate(${source.duration}_count${targetMatchers(source, target, options)}[${window}])`);
}

/** Requests per second slower than `thresholdSeconds` over `window`: all measured minus those within the bucket. */
export function slowRate(source: SliSource, target: SliTarget, thresholdSeconds: number, window: string, options: QueryOptions = {}): string {
  const fast = sumBy(options.by, `rate(${source.duration}_bucket${targetMatchers(source, target, options, { le: bucketMatcher(source, thresholdSeconds) })}[${window}])`);
  return `(${measuredRate(source, target, window, options)} - ${fast})`;
}

/** The fraction of requests slower than `thresholdSeconds` over `window`. */
export function slowRatio(source: SliSource, target: SliTarget, thresholdSeconds: number, window: string, options: QueryOptions = {}): string {
  return `${slowRate(source, target, thresholdSeconds, window, options)} / ${measuredRate(source, target, window, options)}`;
}

/** The `quantile` (0–1) of request durations over `window`, in seconds. */
export function latencyQuantile(source: SliSource, target: SliTarget, quantile: number, window: string, options: QueryOptions = {}): string {
  const buckets = sumBy(['le', ...(options.by ?? [])], `rate(${source.duration}_bucket${targetMatchers(source, target, options)}[${window}])`);
  const q = `histogram_quantile(${formatNumber(quantile)}, ${buckets})`;
  return source.durationUnitSeconds === 1 ? q : `${q} * ${formatNumber(source.durationUnitSeconds)}`;
}

/** A number as PromQL and Prometheus labels write it: shortest exact decimal, no exponent for the usual range. */
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
