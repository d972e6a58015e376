import { Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { ScheduledJob, StatefulApp, Worker } from '../../src';
import { synthValid } from '../harness';

test('smoke', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
  new StatefulApp(chart, 'redis', { image: 'docker.io/library/redis:7.2.4', port: 6379, appProtocol: 'tcp', replicas: 3, storage: { size: '1024Mi', mountPath: '/data' } });
  new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '30 2 * * *' });
  const objects = synthValid(chart);
  console.log(objects.map(o => yaml.stringify(o)).join('---\n'));
});
