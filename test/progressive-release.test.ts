import { Chart, Testing } from 'cdk8s';
import { ProgressiveRelease } from '../src';
import { synthValid } from './harness';

test('smoke', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new ProgressiveRelease(chart, 'api', { image: 'ghcr.io/acme/api:2.1.0', steps: [{ weight: 10, pause: '5m' }, { weight: 50, pause: '10m' }, { weight: 100 }], analysis: { successRate: 99, maxLatency: '500ms' } });
  const objects = synthValid(chart);
  console.log(JSON.stringify(objects, null, 1));
});
