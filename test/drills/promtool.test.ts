// The drills' window on Prometheus's engine reads promtool's report correctly: known series give
// known values, "no data" is an empty result (not 0), and a rule file Prometheus rejects fails.
import { checkRules, evaluate, parseSamples } from './promtool';

describe('promtool (Prometheus engine for the drills)', () => {
  const scenario = {
    series: [
      { series: 'requests_total{code="503",pod="a b"}', values: '0+60x20' },
      { series: 'requests_total{code="200"}', values: '0+30x20' },
    ],
  };

  test('evaluates rates, ratios, empty results and NaN as Prometheus does', () => {
    const [rates, missing, nan] = evaluate(scenario, [
      { expr: 'sum by (code) (rate(requests_total[2m]))', at: '10m' },
      { expr: 'sum(rate(requests_total{code="404"}[2m]))', at: '10m' },
      { expr: 'vector(0) / 0', at: '10m' },
    ]);
    expect(rates).toEqual([
      { labels: { code: '200' }, value: 0.5 },
      { labels: { code: '503' }, value: 1 },
    ]);
    expect(missing).toEqual([]);
    expect(nan).toHaveLength(1);
    expect(nan[0].value).toBeNaN();
  });

  test('rule groups are evaluated before queries read them, alerts included', () => {
    const [alerts] = evaluate({
      ...scenario,
      groups: [{ name: 'g', rules: [{ alert: 'Errors', expr: 'sum(rate(requests_total{code="503"}[2m])) > 0.5', for: '2m' }] }],
    }, [{ expr: 'ALERTS{alertstate="firing"}', at: '10m' }]);
    expect(alerts.map((a) => a.labels.alertname)).toEqual(['Errors']);
  });

  test('a rule Prometheus rejects fails the drill', () => {
    expect(() => checkRules([{ name: 'g', rules: [{ record: 'x', expr: 'sum(' }] }])).toThrow(/promtool rejected/);
  });

  test('label values with quotes, commas and braces are read whole', () => {
    expect(parseSamples('{a="x, \\"y\\"}", b="z"} 2.5E-01, {} +Inf')).toEqual([
      { labels: { a: 'x, "y"}', b: 'z' }, value: 0.25 },
      { labels: {}, value: Infinity },
    ]);
  });
});
