import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Autoscaled, AutoscaledProps, WebApp, WebAppProps } from '../src';
import { findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function setup(scaling: Partial<AutoscaledProps> = {}, app: Partial<WebAppProps> = {}): { chart: Chart; web: WebApp; objects: () => Manifest[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const web = new WebApp(chart, 'web', { image: IMAGE, ...app });
  new Autoscaled(chart, 'scaling', { target: web, maxReplicas: 10, ...scaling });
  return { chart, web, objects: () => synthValid(chart) };
}

function hpa(objects: Manifest[], name = 'web'): any {
  return findObject(objects, 'HorizontalPodAutoscaler', name);
}

describe('Autoscaled defaults', () => {
  // GIVEN a WebApp WHEN it is autoscaled with only maxReplicas
  const objects = setup().objects();

  test('writes an autoscaling/v2 HPA named after and targeting the Deployment', () => {
    expect(hpa(objects).apiVersion).toBe('autoscaling/v2');
    expect(hpa(objects).spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
  });

  test('scales between 2 and maxReplicas on 70% cpu', () => {
    expect(hpa(objects).spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(hpa(objects).spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    expect(hpa(objects).spec.behavior).toBeUndefined();
  });

  test('the target Deployment omits spec.replicas', () => {
    expect(findObject(objects, 'Deployment', 'web').spec).not.toHaveProperty('replicas');
  });

  test('the app keeps its disruption budget', () => {
    expect(findObject(objects, 'PodDisruptionBudget', 'web').spec.maxUnavailable).toBe(1);
  });
});

describe('Autoscaled props', () => {
  test('memory utilisation alone replaces the cpu default', () => {
    expect(hpa(setup({ memoryUtilization: 80 }).objects()).spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
  });

  test('cpu and memory together, cpu above 100%', () => {
    const metrics = hpa(setup({ cpuUtilization: 150, memoryUtilization: 75 }).objects()).spec.metrics;
    expect(metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]))
      .toEqual([['cpu', 150], ['memory', 75]]);
  });

  test('custom pods, object and external metrics', () => {
    const metrics = hpa(setup({
      metrics: [
        { type: 'pods', name: 'http_requests_per_second', averageValue: '100' },
        { type: 'object', name: 'requests', describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, value: '2k' },
        { type: 'external', name: 'queue_messages_ready', selector: { queue: 'orders' }, averageValue: '30' },
      ],
    }).objects()).spec.metrics;
    expect(metrics).toEqual([
      { type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'Object', object: { metric: { name: 'requests' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'web' }, target: { type: 'Value', value: '2k' } } },
      { type: 'External', external: { metric: { name: 'queue_messages_ready', selector: { matchLabels: { queue: 'orders' } } }, target: { type: 'AverageValue', averageValue: '30' } } },
    ]);
  });

  test('scaleUp and scaleDown behaviour', () => {
    const spec = hpa(setup({
      scaleUp: { stabilizationSeconds: 0, maxPodsPerMinute: 4 },
      scaleDown: { stabilizationSeconds: 600, maxPercentPerMinute: 10, maxPodsPerMinute: 2 },
    }).objects()).spec;
    expect(spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      scaleDown: {
        stabilizationWindowSeconds: 600,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }, { type: 'Pods', value: 2, periodSeconds: 60 }],
      },
    });
  });

  test('a single-replica app that autoscales to two or more pods gets a disruption budget', () => {
    const objects = setup({ minReplicas: 1, maxReplicas: 4 }, { replicas: 1 }).objects();
    expect(findObject(objects, 'PodDisruptionBudget', 'web').spec.maxUnavailable).toBe(1);
    expect(hpa(objects).spec.minReplicas).toBe(1);
  });

  test('scales a cdk8s-plus Deployment and StatefulSet, which then omit replicas', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const deployment = new kplus.Deployment(chart, 'plain', {
      containers: [{ image: IMAGE, portNumber: 8080, resources: requests(256) }],
    });
    const statefulSet = new kplus.StatefulSet(chart, 'db', {
      containers: [{ image: IMAGE, portNumber: 5432, resources: requests(512) }],
    });
    [deployment, statefulSet].forEach(hardenToRestricted);
    new Autoscaled(chart, 'plain-scaling', { target: deployment, maxReplicas: 5 });
    new Autoscaled(chart, 'db-scaling', { target: statefulSet, maxReplicas: 3, memoryUtilization: 80 });
    const objects = synthValid(chart);
    const hpas = objects.filter(o => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas.map(h => h.spec.scaleTargetRef)).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: statefulSet.name },
    ]);
    expect(findObject(objects, 'Deployment', deployment.name).spec.replicas).toBeUndefined();
    expect(findObject(objects, 'StatefulSet', statefulSet.name).spec.replicas).toBeUndefined();
  });

  test('snapshot', () => {
    const scaling = { minReplicas: 3, maxReplicas: 12, cpuUtilization: 60, scaleDown: { stabilizationSeconds: 300, maxPercentPerMinute: 50 } };
    expect(setup(scaling, { replicas: 3 }).objects()).toMatchSnapshot();
  });
});

describe('Autoscaled bad input', () => {
  const fails = (scaling: Partial<AutoscaledProps>, pattern: RegExp) => expect(() => setup(scaling)).toThrow(pattern);

  test('fails when minReplicas exceeds maxReplicas', () => fails({ minReplicas: 5, maxReplicas: 3 }, /test\/scaling: invalid minReplicas 5: must not exceed maxReplicas \(3\)/));
  test('fails when maxReplicas is below 1', () => fails({ minReplicas: 1, maxReplicas: 0 }, /test\/scaling: invalid maxReplicas 0: must be an integer >= 1/));
  test('fails when minReplicas is 0', () => fails({ minReplicas: 0 }, /invalid minReplicas 0: must be an integer >= 1/));
  test('fails when cpu utilisation is 0', () => fails({ cpuUtilization: 0 }, /test\/scaling: invalid cpuUtilization 0: must be an integer >= 1/));
  test('fails when memory utilisation is negative', () => fails({ memoryUtilization: -5 }, /invalid memoryUtilization -5: must be an integer >= 1/));
  test('fails when a custom metric has no target value', () => fails({ metrics: [{ type: 'external', name: 'queue' }] }, /invalid metrics\[0\] .*: give exactly one of `value` and `averageValue`/));
  // the API server checks a metric selector's matchLabels like any label selector; on main before this change: written
  test('fails when a pods metric selector value is not a label value', () => fails({ metrics: [{ type: 'pods', name: 'rps', averageValue: '10', selector: { priority: 'high priority!' } }] },
    /^test\/scaling: invalid metrics\[0\]\.selector\.priority "high priority!": must be a label value/));
  test('fails when an external metric selector key is not a label key', () => fails({ metrics: [{ type: 'external', name: 'queue', averageValue: '30', selector: { 'my queue': 'orders' } }] },
    /^test\/scaling: invalid metrics\[0\]\.selector\.my queue "my queue": must be a label or annotation key/));
  test('fails when a metric quantity is malformed', () => fails({ metrics: [{ type: 'pods', name: 'rps', averageValue: 'lots' }] }, /invalid metrics\[0\].averageValue "lots"/));
  test('fails when a behaviour window is too long', () => fails({ scaleDown: { stabilizationSeconds: 7200 } }, /invalid scaleDown.stabilizationSeconds 7200: must be an integer between 0 and 3600/));

  test('fails when two autoscalers target one app', () => {
    const { chart, web } = setup();
    expect(() => new Autoscaled(chart, 'again', { target: web, maxReplicas: 4 }))
      .toThrow(/test\/again: invalid target "test\/web": is already scaled by test\/scaling; a workload takes one autoscaler/);
  });

  test('fails when two autoscalers target one cdk8s-plus Deployment', () => {
    const chart = new Chart(Testing.app(), 'test');
    const deployment = new kplus.Deployment(chart, 'plain', { containers: [{ image: IMAGE }] });
    new Autoscaled(chart, 'one', { target: deployment, maxReplicas: 3 });
    expect(() => new Autoscaled(chart, 'two', { target: deployment, maxReplicas: 3 })).toThrow(/test\/two: invalid target "test\/plain": already has an autoscaler/);
  });

  test('fails when the target does not request the resource it scales on', () => {
    const chart = new Chart(Testing.app(), 'test');
    const deployment = new kplus.Deployment(chart, 'plain', { containers: [{ image: IMAGE, resources: {} }] });
    expect(() => new Autoscaled(chart, 'scaling', { target: deployment, maxReplicas: 3 }))
      .toThrow(/test\/scaling: invalid cpuUtilization 70: .*the target test\/plain does not request cpu on every container/);
  });

  test('fails when the target is not a workload', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new Autoscaled(chart, 'scaling', { target: chart as any, maxReplicas: 3 })).toThrow(/test\/scaling: invalid target "test": must be a WebApp, a CanaryRelease track/);
    // on main before this change the lists omitted ProgressiveRelease, which Autoscaled scales
    expect(() => new Autoscaled(chart, 'scaling-obj', { target: chart as any, maxReplicas: 3 })).toThrow(/a Worker, a StatefulApp or a ProgressiveRelease, or a cdk8s-plus 2\.x Deployment or StatefulSet \(any major\)$/);
    expect(() => new Autoscaled(chart, 'scaling-str', { target: 'web' as any, maxReplicas: 3 })).toThrow(/invalid target "web": must be a WebApp, a CanaryRelease track \(release\.stable \/ release\.canary\), a Worker, a StatefulApp or a ProgressiveRelease or a cdk8s-plus/);
  });

  test('fails when the budget would block evictions at the autoscaler minimum', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new WebApp(chart, 'web', { image: IMAGE, replicas: 4, disruptionBudget: { minAvailable: 3 } });
    expect(() => new Autoscaled(chart, 'scaling', { target: web, minReplicas: 2, maxReplicas: 6 }))
      .toThrow(/test\/web: invalid disruptionBudget.minAvailable 3: must be below the 2 replicas/);
  });
});

/** cdk8s-plus does not drop capabilities or set seccomp by default; the harness insists on both. */
function hardenToRestricted(workload: kplus.Deployment | kplus.StatefulSet): void {
  ApiObject.of(workload).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  );
}

function requests(memoryMebibytes: number): kplus.ContainerResources {
  const memory = Size.mebibytes(memoryMebibytes);
  return { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: memory, limit: memory } };
}

describe('Autoscaled and the disruption budget', () => {
  test('an autoscaler capped at one pod removes the budget the replicas had', () => {
    const { web, objects } = setup({ minReplicas: 1, maxReplicas: 1 }, { replicas: 3 });
    expect(objects().some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
    expect(web.disruptionBudget).toBeUndefined();
  });
});
