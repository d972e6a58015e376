import { Autoscaled, NetworkPolicyBundle, WebApp, Worker, WorkerProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/worker:0.9.1';

function synthWorker(props: Partial<WorkerProps> = {}): Manifest[] {
  const chart = chartIn();
  new Worker(chart, 'worker', { image: IMAGE, ...props });
  return synthValid(chart);
}

function container(objects: Manifest[]): any {
  return findObject(objects, 'Deployment', 'worker').spec.template.spec.containers[0];
}

describe('Worker defaults', () => {
  // GIVEN a Worker with only an image
  const objects = synthWorker();
  const deployment = findObject(objects, 'Deployment', 'worker');

  test('creates a Deployment, a ServiceAccount and a PodDisruptionBudget, and no Service', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/worker', 'PodDisruptionBudget/worker', 'ServiceAccount/worker']);
  });

  test('labels the objects as a worker component', () => {
    expect(deployment.metadata.labels['app.kubernetes.io/component']).toBe('worker');
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'worker' } });
  });

  test('runs two replicas with zero-downtime rolling updates', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
  });

  test('declares no port and no probe', () => {
    const c = container(objects);
    expect(c.ports).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
  });

  test('hardens the pod like every workload', () => {
    const spec = deployment.spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(container(objects).securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('Worker props', () => {
  test('a port is declared on the container, with probes only when given', () => {
    const objects = synthWorker({ port: 9090, probes: { liveness: '/healthz' } });
    const c = container(objects);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9090, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 9090 });
    expect(c.readinessProbe).toBeUndefined();
  });

  test('an exec probe works without a port', () => {
    const c = container(synthWorker({ probes: { liveness: { command: ['/bin/worker', 'health'] } } }));
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/worker', 'health'] });
  });

  test('a single replica gets no disruption budget', () => {
    expect(synthWorker({ replicas: 1 }).some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('env, secrets and config reach the container', () => {
    const objects = synthWorker({ env: { QUEUE: 'orders' }, secretEnv: { AMQP_URL: { secret: 'amqp', key: 'url' } }, config: { BATCH: '10' } });
    expect(container(objects).env).toEqual([
      { name: 'AMQP_URL', valueFrom: { secretKeyRef: { name: 'amqp', key: 'url' } } },
      { name: 'QUEUE', value: 'orders' },
    ]);
    expect(findObject(objects, 'ConfigMap', 'worker-config').data).toEqual({ BATCH: '10' });
  });

  test('Autoscaled scales it; the Deployment then omits replicas', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: IMAGE });
    new Autoscaled(chart, 'scaling', { target: worker, maxReplicas: 8 });
    const objects = synthValid(chart);
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'worker').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect('replicas' in findObject(objects, 'Deployment', 'worker').spec).toBe(false);
  });
});

describe('Worker with the shared workload options', () => {
  test('a sidecar, a volume, files, command and named ports work without a main port', () => {
    // GIVEN a worker with no port of its own, a metrics sidecar, a Secret volume and a file
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    const worker = new Worker(chart, 'worker', {
      image: IMAGE,
      command: ['/bin/worker'],
      args: ['--queue=orders'],
      ports: [{ name: 'admin', port: 9901 }],
      volumes: { certs: { mountPath: '/etc/certs', secret: 'worker-tls' } },
      files: { '/etc/worker/app.yaml': 'batch: 10\n' },
      sidecars: [{ name: 'exporter', image: 'ghcr.io/acme/exporter:1.0.0', ports: [{ name: 'metrics', port: 9091 }], mounts: ['certs'] }],
    });
    new NetworkPolicyBundle(chart, 'net').allow(web, worker, 'metrics');
    // WHEN
    const objects = synthValid(chart);
    const spec = findObject(objects, 'Deployment', 'worker').spec.template.spec;
    // THEN the main container has only its declared port, the sidecar is hardened like it, and the volume is mounted in both
    expect(spec.containers.map((c: any) => c.name)).toEqual(['worker', 'exporter']);
    expect(spec.containers[0].command).toEqual(['/bin/worker']);
    expect(spec.containers[0].ports).toEqual([{ name: 'admin', containerPort: 9901, protocol: 'TCP' }]);
    expect(spec.containers[1].securityContext).toEqual(spec.containers[0].securityContext);
    expect(spec.volumes).toEqual(expect.arrayContaining([{ name: 'certs', secret: { secretName: 'worker-tls' } }]));
    expect(spec.containers[1].volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'certs', mountPath: '/etc/certs' })]));
    expect(findObject(objects, 'ConfigMap', 'worker-files').data).toBeDefined();
    expect(worker.containerPorts).toEqual([9901, 9091]);
    expect(findObject(objects, 'NetworkPolicy', 'worker-from-web').spec.ingress[0].ports).toEqual([{ port: 9091, protocol: 'TCP' }]);
    expect(objects.filter(o => o.kind === 'Service').map(o => o.metadata.name)).toEqual(['web']);
  });
});

describe('Worker bad input', () => {
  const fails = (props: Partial<WorkerProps>, pattern: RegExp) => expect(() => synthWorker(props)).toThrow(pattern);

  test('fails when replicas is not a number (the props schema)', () => fails({ replicas: '2' as never }, /^test\/worker: invalid replicas "2": must be a number$/));
  test('fails on an unknown option (the props schema)', () => fails({ replica: 2 } as never, /^test\/worker: invalid replica 2: is not a known option \(did you mean "replicas"\?\)/));

  test('fails when an HTTP probe has no port to reach', () => fails({ probes: { readiness: '/ready' } }, /test\/worker: invalid probes\.readiness "\/ready": an HTTP probe needs a port, and the Worker declares no port/));
  test('fails when a TCP probe has no port to reach', () => fails({ probes: { liveness: {} } }, /test\/worker: invalid probes\.liveness \{\}: a TCP probe needs a port/));
  test('fails when a servicePort is given', () => fails({ servicePort: 80 }, /test\/worker: invalid servicePort 80: a Worker has no Service/));
  test('fails when the image is not pinned', () => fails({ image: 'ghcr.io/acme/worker:latest' }, /test\/worker: invalid image "ghcr.io\/acme\/worker:latest"/));
  test('fails when replicas is negative', () => fails({ replicas: -1 }, /test\/worker: invalid replicas -1/));
  test('fails when a budget is given for a single replica', () => {
    expect(() => synthWorker({ replicas: 1, disruptionBudget: { maxUnavailable: 1 } })).toThrow(/test\/worker: invalid disruptionBudget \{"maxUnavailable":1\}: the app runs a single replica/);
  });
});
