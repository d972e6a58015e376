import { ScheduledJob, StatefulApp, Worker } from '../src';
import { chartIn, findObject, synthValid } from './harness';

// `metrics` on the workloads without a Service (PodMonitor) and on a StatefulApp (ServiceMonitor of the client Service only).

describe('metrics on Worker, StatefulApp and ScheduledJob', () => {
  test('a Worker without a Service gets a PodMonitor on its metrics port', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', metrics: { port: 9090 } });
    const objects = synthValid(chart);
    expect(worker.metricsPort).toBe(9090);
    expect(objects.some(o => o.kind === 'ServiceMonitor')).toBe(false);
    const monitor = findObject(objects, 'PodMonitor', 'worker');
    expect(monitor.spec.selector).toEqual({ matchLabels: worker.selector });
    expect(findObject(objects, 'Deployment', 'worker').spec.template.spec.containers[0].ports).toEqual([expect.objectContaining({ containerPort: 9090 })]);
  });

  test('a StatefulApp gets a ServiceMonitor that keeps only its client Service, not the headless one', () => {
    const chart = chartIn();
    new StatefulApp(chart, 'redis', { image: 'docker.io/library/redis:7.2.4', port: 6379, appProtocol: 'tcp', metrics: { port: 9121 } });
    const objects = synthValid(chart);
    const endpoint = findObject(objects, 'ServiceMonitor', 'redis').spec.endpoints[0];
    expect(endpoint.relabelings[0]).toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'redis' });
    expect(findObject(objects, 'Service', 'redis-headless').spec.ports.map((p: any) => p.port)).toEqual([6379, 9121]);
  });

  test('a ScheduledJob gets a PodMonitor for its runs\' pods', () => {
    const chart = chartIn();
    new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily', metrics: { port: 9102 } });
    expect(findObject(synthValid(chart), 'PodMonitor', 'report').spec.podMetricsEndpoints).toHaveLength(1);
  });
});
