import {
  CanaryRelease, NetworkPolicyBundle, ProgressiveRelease, ScheduledJob, SecureNamespace, StatefulApp, WebApp, WebAppProps, Worker,
} from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

// containerName, imagePullPolicy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit
// and metrics.service: false, for every workload construct (one implementation), where its
// controller has them.

const IMAGE = 'ghcr.io/acme/app:1.0.0';

function synthWeb(props: Partial<WebAppProps> = {}): Manifest[] {
  const chart = chartIn();
  new WebApp(chart, 'web', { image: IMAGE, ...props });
  return synthValid(chart);
}

const podSpecOf = (o: Manifest) => (o.spec.template ?? o.spec.jobTemplate.spec.template).spec;

describe('containerName and imagePullPolicy', () => {
  test('name the main container and set its pull policy; sidecars keep their own', () => {
    const objects = synthWeb({ containerName: 'server', imagePullPolicy: 'Always', sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' }] });
    const [main, proxy] = podSpecOf(findObject(objects, 'Deployment', 'web')).containers;
    expect([main.name, main.imagePullPolicy]).toEqual(['server', 'Always']);
    expect([proxy.name, proxy.imagePullPolicy]).toEqual(['proxy', undefined]);
    // the Service still targets the main container's named port
    expect(findObject(objects, 'Service', 'web').spec.ports[0].targetPort).toEqual('http');
  });

  test('apply to every workload construct', () => {
    const chart = chartIn();
    const common = { containerName: 'main', imagePullPolicy: 'IfNotPresent' as const };
    new Worker(chart, 'worker', { image: IMAGE, ...common });
    new StatefulApp(chart, 'db', { image: IMAGE, ...common });
    new ScheduledJob(chart, 'job', { image: IMAGE, schedule: '0 3 * * *', ...common });
    new CanaryRelease(chart, 'api', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, ...common });
    new ProgressiveRelease(chart, 'rollout', { image: IMAGE, steps: [{ weight: 50, pause: '10m' }, { weight: 100 }], ...common });
    const owners = synthValid(chart).filter(o => ['Deployment', 'StatefulSet', 'CronJob', 'Rollout'].includes(o.kind));
    expect(owners).toHaveLength(6);
    for (const owner of owners) expect([owner.metadata.name, podSpecOf(owner).containers[0].name, podSpecOf(owner).containers[0].imagePullPolicy]).toEqual([owner.metadata.name, 'main', 'IfNotPresent']);
  });

  test('fails when a sidecar takes the container name, or on a bad name or policy', () => {
    expect(() => synthWeb({ containerName: 'proxy', sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0' }] })).toThrow(
      /^test\/web: invalid sidecars\[0\].name "proxy": is already the name of the main container \(containerName\)/);
    expect(() => synthWeb({ containerName: 'Server' })).toThrow(/invalid containerName "Server"/);
    expect(() => synthWeb({ imagePullPolicy: 'Sometimes' as any })).toThrow(/invalid imagePullPolicy "Sometimes"/);
  });
});

describe('controller rollout settings', () => {
  test('a Deployment takes all three; revisionHistoryLimit defaults to 5 and the others stay unset', () => {
    const spec = findObject(synthWeb({ minReadySeconds: 10, progressDeadlineSeconds: 300, revisionHistoryLimit: 2 }), 'Deployment', 'web').spec;
    expect([spec.minReadySeconds, spec.progressDeadlineSeconds, spec.revisionHistoryLimit]).toEqual([10, 300, 2]);
    const plain = findObject(synthWeb(), 'Deployment', 'web').spec;
    expect([plain.minReadySeconds, plain.progressDeadlineSeconds, plain.revisionHistoryLimit]).toEqual([undefined, undefined, 5]);
  });

  test('a Worker, both canary tracks and a Rollout take all three; a StatefulSet minReadySeconds and revisionHistoryLimit', () => {
    const chart = chartIn();
    const settings = { minReadySeconds: 5, progressDeadlineSeconds: 120, revisionHistoryLimit: 3 };
    new Worker(chart, 'worker', { image: IMAGE, ...settings });
    new CanaryRelease(chart, 'api', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, ...settings });
    new ProgressiveRelease(chart, 'rollout', { image: IMAGE, steps: [{ weight: 50, pause: '10m' }, { weight: 100 }], ...settings });
    new StatefulApp(chart, 'db', { image: IMAGE, minReadySeconds: 5, revisionHistoryLimit: 3 });
    const objects = synthValid(chart);
    for (const [kind, name] of [['Deployment', 'worker'], ['Deployment', 'api-stable'], ['Deployment', 'api-canary'], ['Rollout', 'rollout']]) {
      const spec = findObject(objects, kind, name).spec;
      expect([spec.minReadySeconds, spec.progressDeadlineSeconds, spec.revisionHistoryLimit]).toEqual([5, 120, 3]);
    }
    const set = findObject(objects, 'StatefulSet', 'db').spec;
    expect([set.minReadySeconds, set.progressDeadlineSeconds, set.revisionHistoryLimit]).toEqual([5, undefined, 3]);
  });

  test('fails where the controller has no such setting, saying why (plain JavaScript; TypeScript does not offer them)', () => {
    expect(() => new StatefulApp(chartIn(), 'db', { image: IMAGE, progressDeadlineSeconds: 600 } as any)).toThrow(
      /^test\/db: invalid progressDeadlineSeconds 600: a StatefulSet has no progress deadline/);
    for (const [prop, why] of [['minReadySeconds', /never "available"/], ['progressDeadlineSeconds', /activeDeadlineSeconds instead/], ['revisionHistoryLimit', /successfulJobsHistoryLimit/]] as const) {
      expect(() => new ScheduledJob(chartIn(), 'job', { image: IMAGE, schedule: '0 3 * * *', [prop]: 1 } as any)).toThrow(why);
    }
  });

  test('fails when the progress deadline does not exceed minReadySeconds, or on negative values', () => {
    expect(() => synthWeb({ minReadySeconds: 600, progressDeadlineSeconds: 600 })).toThrow(/^test\/web: invalid progressDeadlineSeconds 600: must exceed minReadySeconds \(600\)/);
    expect(() => synthWeb({ minReadySeconds: -1 })).toThrow(/invalid minReadySeconds -1/);
    expect(() => synthWeb({ revisionHistoryLimit: 1.5 })).toThrow(/invalid revisionHistoryLimit 1.5/);
  });
});

describe('metrics.service: false', () => {
  test('scrapes the pods through a PodMonitor and keeps the metrics port off the Service', () => {
    const objects = synthWeb({ metrics: { port: 9090, service: false } });
    expect(objects.filter(o => /Monitor$/.test(o.kind)).map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['PodMonitor/web']);
    expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => p.port)).toEqual([8080]);
    const container = podSpecOf(findObject(objects, 'Deployment', 'web')).containers[0];
    expect(container.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 8080], ['metrics', 9090]]);
    expect(findObject(objects, 'PodMonitor', 'web').spec.podMetricsEndpoints[0].port).toEqual('metrics');
  });

  test('the default scrapes through the Service (the twin: the port is on the Service)', () => {
    const objects = synthWeb({ metrics: { port: 9090 } });
    expect(objects.filter(o => /Monitor$/.test(o.kind)).map(o => o.kind)).toEqual(['ServiceMonitor']);
    expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => p.port)).toEqual([8080, 9090]);
  });

  test('a named port declared with expose: false, on a StatefulApp and a CanaryRelease too; allowMonitoring opens it', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const ports = [{ name: 'metrics', port: 9100, expose: false }];
    new StatefulApp(chart, 'db', { image: IMAGE, ports, metrics: { port: 'metrics', service: false } });
    new CanaryRelease(chart, 'api', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, ports, metrics: { port: 'metrics', service: false } });
    new NetworkPolicyBundle(chart, 'net', { allowMonitoring: true });
    const objects = synthValid(chart);
    expect(objects.filter(o => /Monitor$/.test(o.kind)).map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['PodMonitor/api', 'PodMonitor/db']);
    expect(findObject(objects, 'NetworkPolicy', 'db-from-monitoring').spec.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
    expect(findObject(objects, 'PeerAuthentication', 'db-metrics').spec.portLevelMtls).toEqual({ 9100: { mode: 'PERMISSIVE' } });
  });

  test('fails when the metrics port is on the Service anyway, or the workload has no Service', () => {
    expect(() => synthWeb({ metrics: { port: 8080, service: false } })).toThrow(
      /^test\/web: invalid metrics.service false: the metrics port "http" \(8080\) is on the Service \(it is the app's port\); serve the metrics on a port of their own/);
    expect(() => synthWeb({ ports: [{ name: 'metrics', port: 9100 }], metrics: { port: 'metrics', service: false } })).toThrow(/declared with expose: false/);
    expect(() => new Worker(chartIn(), 'worker', { image: IMAGE, metrics: { port: 9090, service: true } })).toThrow(
      /^test\/worker: invalid metrics.service true: the workload has no Service/);
  });
});
