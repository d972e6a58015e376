import { Autoscaled, HttpsGateway, NetworkPolicyBundle, reachabilityReport, SecureNamespace, StatefulApp, StatefulAppProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';
import '../src/testing';

const IMAGE = 'docker.io/library/redis:7.2.4';

function synthApp(props: Partial<StatefulAppProps> = {}): Manifest[] {
  const chart = chartIn();
  new StatefulApp(chart, 'redis', { image: IMAGE, port: 6379, appProtocol: 'tcp', storage: { size: '1Gi', mountPath: '/data' }, ...props });
  return synthValid(chart);
}

function sts(objects: Manifest[]): any {
  return findObject(objects, 'StatefulSet', 'redis');
}

describe('StatefulApp defaults', () => {
  // GIVEN a StatefulApp with an image, a port and storage
  const objects = synthApp();
  const statefulSet = sts(objects);
  const selector = { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'redis' };

  test('creates a StatefulSet, a client and a headless Service and a ServiceAccount; no budget for one replica', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Service/redis', 'Service/redis-headless', 'ServiceAccount/redis', 'StatefulSet/redis']);
    expect(statefulSet.spec.replicas).toBe(1);
  });

  test('is governed by the headless Service, which publishes pods before they are ready', () => {
    expect(statefulSet.spec.serviceName).toBe('redis-headless');
    const headless = findObject(objects, 'Service', 'redis-headless');
    expect(headless.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: 'tcp', port: 6379, targetPort: 'tcp', protocol: 'TCP' }],
    });
    expect(findObject(objects, 'Service', 'redis').spec.clusterIP).toBeUndefined();
  });

  test('creates pods in order and rolls updates one by one', () => {
    expect(statefulSet.spec.podManagementPolicy).toBe('OrderedReady');
    expect(statefulSet.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
  });

  test('claims a volume "data" per pod, labelled without the version (the template is immutable)', () => {
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([{
      metadata: {
        name: 'data',
        labels: {
          'app.kubernetes.io/name': 'redis',
          'app.kubernetes.io/instance': 'redis',
          'app.kubernetes.io/component': 'database',
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'cloudnative-constructs',
        },
      },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }]);
  });

  test('mounts the volume, writable by the pod group, which is given it only when the volume root differs', () => {
    const spec = statefulSet.spec.template.spec;
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'data', mountPath: '/data' }]);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('probes the port over TCP like a WebApp', () => {
    expect(statefulSet.spec.template.spec.containers[0].readinessProbe.tcpSocket).toEqual({ port: 6379 });
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('StatefulApp protocol', () => {
  const servicePorts = (props: Partial<StatefulAppProps>) => {
    const chart = chartIn();
    new StatefulApp(chart, 'db', { image: 'docker.io/library/postgres:16.2', port: 5432, ...props });
    return findObject(synthValid(chart), 'Service', 'db').spec.ports;
  };

  test('a database port is TCP unless told: no appProtocol, named tcp; its other ports too', () => {
    // on main before this change: { name: 'http', appProtocol: 'http' } for the Postgres port and the exporter's
    expect(servicePorts({ ports: [{ name: 'exporter', port: 9187 }] })).toEqual([
      { name: 'tcp', port: 5432, targetPort: 'tcp', protocol: 'TCP' },
      { name: 'exporter', port: 9187, targetPort: 'exporter', protocol: 'TCP' },
    ]);
  });

  test('an app told HTTP, or routed through a gateway, speaks HTTP', () => {
    expect(servicePorts({ appProtocol: 'http' })).toEqual([{ name: 'http', port: 5432, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['db.example.com'] });
    new StatefulApp(chart, 'db', { image: 'ghcr.io/acme/search:2.1.0', port: 9200, route: { gateway, hosts: ['db.example.com'] } });
    expect(findObject(synthValid(chart), 'Service', 'db').spec.ports).toEqual([{ name: 'http', port: 9200, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
  });
});

describe('StatefulApp props', () => {
  test('three replicas get a budget allowing one pod down', () => {
    const objects = synthApp({ replicas: 3 });
    expect(findObject(objects, 'PodDisruptionBudget', 'redis').spec.maxUnavailable).toBe(1);
  });

  test('writes the storage size in the canonical form the API server stores', () => {
    const size = (value: string) => sts(synthApp({ storage: { size: value, mountPath: '/data' } })).spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect(size('1024Mi')).toBe('1Gi');
    expect(size('1.5Gi')).toBe('1536Mi');
    expect(size('2000M')).toBe('2G');
    expect(size('10Gi')).toBe('10Gi');
    expect(size('1536')).toBe('1536');
    expect(size('0.5Ki')).toBe('512'); // a binary quantity below 1024 is written in decimal
    expect(size('1e3')).toBe('1e3'); // the exponent form is kept
  });

  test('storage class, access mode, parallel pod management and an update partition', () => {
    const spec = sts(synthApp({
      replicas: 3,
      podManagementPolicy: 'Parallel',
      updatePartition: 2,
      storage: { size: '20Gi', mountPath: '/var/lib/redis/', storageClass: 'fast-ssd', accessMode: 'ReadWriteOncePod' },
    })).spec;
    expect(spec.podManagementPolicy).toBe('Parallel');
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    expect(spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } } });
    expect(spec.template.spec.containers[0].volumeMounts[1]).toEqual({ name: 'data', mountPath: '/var/lib/redis' });
  });

  test('without storage there is no claim template and no data mount', () => {
    const spec = sts(synthApp({ storage: undefined })).spec;
    expect(spec.volumeClaimTemplates).toBeUndefined();
    expect(spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.template.spec.securityContext.fsGroupChangePolicy).toBeUndefined();
  });

  test('a distinct servicePort is exposed by both Services', () => {
    const objects = synthApp({ servicePort: 6380 });
    expect(findObject(objects, 'Service', 'redis').spec.ports[0].port).toBe(6380);
    expect(findObject(objects, 'Service', 'redis-headless').spec.ports[0].port).toBe(6380);
  });

  test('Autoscaled scales the StatefulSet, which then omits replicas and gets a budget', () => {
    const chart = chartIn();
    const app = new StatefulApp(chart, 'redis', { image: IMAGE, port: 6379 });
    new Autoscaled(chart, 'scaling', { target: app, maxReplicas: 5 });
    const objects = synthValid(chart);
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'redis').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'redis' });
    expect('replicas' in sts(objects).spec).toBe(false);
    expect(findObject(objects, 'PodDisruptionBudget', 'redis').spec.maxUnavailable).toBe(1);
  });
});

describe('StatefulApp with the shared workload options', () => {
  test('a metrics sidecar, a ConfigMap volume and args work beside the persistent volume', () => {
    // GIVEN Redis with its configuration from a ConfigMap and an exporter sidecar
    const objects = synthApp({
      args: ['/usr/local/etc/redis/redis.conf'],
      volumes: { conf: { mountPath: '/usr/local/etc/redis', configMap: 'redis-conf' } },
      sidecars: [{ name: 'exporter', image: 'docker.io/oliver006/redis_exporter:v1.58.0', ports: [{ name: 'metrics', port: 9121 }] }],
    });
    const spec = sts(objects).spec.template.spec;
    // THEN both volumes are mounted, the sidecar is hardened, and both Services expose the metrics port
    expect(spec.containers[0].args).toEqual(['/usr/local/etc/redis/redis.conf']);
    expect(spec.containers[0].volumeMounts.map((m: any) => m.name)).toEqual(expect.arrayContaining(['tmp', 'conf', 'data']));
    expect(spec.volumes.map((v: any) => v.name)).toEqual(expect.arrayContaining(['tmp', 'conf']));
    expect(spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(spec.containers[1].securityContext).toEqual(spec.containers[0].securityContext);
    for (const service of ['redis', 'redis-headless']) {
      expect(findObject(objects, 'Service', service).spec.ports.map((p: any) => p.name)).toEqual(['tcp', 'metrics']);
    }
  });

  test('fails when a declared volume takes the name or the path of the persistent volume', () => {
    expect(() => synthApp({ volumes: { data: { mountPath: '/other', emptyDir: {} } } })).toThrow(/test\/redis: invalid volumes\.data "data": the volume name is taken by the persistent volume of storage/);
    expect(() => synthApp({ volumes: { cache: { mountPath: '/data', emptyDir: {} } } })).toThrow(/test\/redis: invalid volumes\.cache\.mountPath "\/data": is already mounted by storage\.mountPath/);
  });
});

describe('StatefulApp behind a Gateway API gateway', () => {
  test('route writes an HTTPRoute to the client Service, and allowFromGateway opens the pods on their port', () => {
    // GIVEN an HTTP StatefulApp routed through a gateway of its chart
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['search.example.com'] });
    new StatefulApp(chart, 'search', {
      image: 'docker.io/opensearchproject/opensearch:2.13.0', port: 9200, servicePort: 80, route: { gateway, hosts: ['search.example.com'], path: '/api' },
    });
    new NetworkPolicyBundle(chart, 'net', { allowFromGateway: gateway });
    // WHEN
    const objects = synthValid(chart);
    // THEN
    const route = findObject(objects, 'HTTPRoute', 'search');
    expect(route.spec.rules[0].backendRefs).toEqual([expect.objectContaining({ name: 'search', port: 80 })]);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
    expect(findObject(objects, 'NetworkPolicy', 'search-from-public').spec.ingress[0].ports).toEqual([{ port: 9200, protocol: 'TCP' }]);
  });

  test('fails when a TCP app asks for an HTTPRoute', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['cache.example.com'] });
    expect(() => new StatefulApp(chart, 'redis', { image: IMAGE, port: 6379, appProtocol: 'tcp', route: { gateway, hosts: ['cache.example.com'] } }))
      .toThrow(/test\/redis: invalid route \["cache\.example\.com"\]: needs an HTTP workload, but appProtocol is "tcp"/);
  });
});

describe('StatefulApp bad input', () => {
  const fails = (props: Partial<StatefulAppProps>, pattern: RegExp) => expect(() => synthApp(props)).toThrow(pattern);

  test('fails when the storage size is not a string (the props schema)', () => fails({ storage: { size: 10 as never, mountPath: '/data' } }, /^test\/redis: invalid storage\.size 10: must be a string$/));
  test('fails when storage has no mountPath (the props schema)', () => fails({ storage: { size: '1Gi' } as never }, /^test\/redis: invalid storage\.mountPath undefined: is required: a string$/));

  test('fails when the storage size is not a quantity', () => fails({ storage: { size: '10GB', mountPath: '/data' } }, /test\/redis: invalid storage\.size "10GB": must be a Kubernetes quantity such as "10Gi"$/));
  test('fails when the storage size is not a whole number of bytes', () => fails({ storage: { size: '0.1', mountPath: '/data' } }, /invalid storage\.size "0\.1": is not a whole number of bytes/));
  test('fails when the storage size is in thousandths', () => fails({ storage: { size: '10m', mountPath: '/data' } }, /test\/redis: invalid storage\.size "10m": "m" means thousandths, not megabytes: use "Mi" or "M"/));
  test('fails when the storage size is zero', () => fails({ storage: { size: '0Gi', mountPath: '/data' } }, /invalid storage\.size "0Gi": must be greater than zero/));
  test('fails when the mount path is relative', () => fails({ storage: { size: '1Gi', mountPath: 'data' } }, /invalid storage\.mountPath "data": must be an absolute path/));
  test('fails when the mount path is a writable path too', () => fails({ writablePaths: ['/tmp', '/cache'], storage: { size: '1Gi', mountPath: '/cache' } }, /test\/redis: invalid writablePaths "\/cache": is already mounted by storage\.mountPath/));
  test('fails when a writable path takes the volume name "data"', () => fails({ writablePaths: ['/data'], storage: { size: '1Gi', mountPath: '/var/lib/data' } }, /invalid storage .*the pod already has a volume named "data"/));
  test('fails on an unknown access mode', () => fails({ storage: { size: '1Gi', mountPath: '/data', accessMode: 'ReadWriteAll' as never } }, /invalid storage\.accessMode "ReadWriteAll": must be one of "ReadWriteOnce"/));
  test('fails on an invalid storage class', () => fails({ storage: { size: '1Gi', mountPath: '/data', storageClass: 'Fast_SSD' } }, /invalid storage\.storageClass "Fast_SSD"/));
  test('fails when storage is not an object', () => fails({ storage: '10Gi' as never }, /test\/redis: invalid storage "10Gi": must be an object \{ size, mountPath, storageClass\?, accessMode\? \}$/));
  test('fails when replicas is 0 and a budget is given', () => fails({ replicas: 0, disruptionBudget: { maxUnavailable: 1 } }, /test\/redis: invalid disruptionBudget \{"maxUnavailable":1\}: replicas is 0, so the budget would select no pod/));
  test('fails on an unknown pod management policy', () => fails({ podManagementPolicy: 'Ordered' as never }, /invalid podManagementPolicy "Ordered": must be "OrderedReady" or "Parallel"/));
  test('fails on a negative update partition', () => fails({ updatePartition: -1 }, /invalid updatePartition -1: must be an integer >= 0/));
  test('fails when the name is too long for the revision label', () => fails({ name: 'a'.repeat(53) }, /invalid name "a{53}": must be at most 52 characters/));
  test('fails when the headless Service name is taken', () => {
    const chart = chartIn();
    new StatefulApp(chart, 'redis', { image: IMAGE });
    expect(() => new StatefulApp(chart, 'other', { image: IMAGE, name: 'redis-headless' })).toThrow(/test\/other: invalid name "redis-headless": a Service named "redis-headless" already exists/);
  });
  test('fails when a budget is given for a single replica', () => {
    expect(() => synthApp({ disruptionBudget: { maxUnavailable: 1 } })).toThrow(/test\/redis: invalid disruptionBudget \{"maxUnavailable":1\}: the app runs a single replica/);
  });
});

describe('StatefulApp members reach each other (peers)', () => {
  // GIVEN a three-member cluster with a member-only bus port, in a namespace denying by default on both layers
  function cluster(props: Partial<StatefulAppProps> = {}, namespaceFirst = true) {
    const chart = chartIn();
    const ns = () => new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    if (namespaceFirst) ns();
    const app = new StatefulApp(chart, 'redis', {
      image: IMAGE, port: 6379, appProtocol: 'tcp', replicas: 3, ports: [{ name: 'bus', port: 16379, appProtocol: 'tcp', expose: false }], ...props,
    });
    if (!namespaceFirst) ns();
    return { chart, app, objects: synthValid(chart) };
  }

  test.each([true, false])('on every declared port, on both layers, through the headless Service (namespace first: %s)', (namespaceFirst) => {
    const { chart, app, objects } = cluster({}, namespaceFirst);
    const selector = { matchLabels: app.selector };
    const ports = [{ port: 6379, protocol: 'TCP' }, { port: 16379, protocol: 'TCP' }];
    expect(findObject(objects, 'NetworkPolicy', 'redis-from-redis').spec).toEqual({ podSelector: selector, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: selector }], ports }] });
    expect(findObject(objects, 'NetworkPolicy', 'redis-to-redis').spec).toEqual({ podSelector: selector, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: selector }], ports }] });
    expect(findObject(objects, 'AuthorizationPolicy', 'redis-from-redis').spec).toEqual({
      selector, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/redis'] } }], to: [{ operation: { ports: ['6379', '16379'] } }] }],
    });
    // the member-only port is on the headless Service (so the sidecars speak mTLS on it), not on the client one
    expect(findObject(objects, 'Service', 'redis-headless').spec.ports.map((p: any) => [p.name, p.port])).toEqual([['tcp', 6379], ['bus', 16379]]);
    expect(findObject(objects, 'Service', 'redis').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    // on main before this change: no policy, the report and the matcher said denied
    expect(reachabilityReport(chart).lines).toEqual(expect.arrayContaining(['shop/redis → shop/redis:6379', 'shop/redis → shop/redis:16379']));
    expect(chart).toAllowTraffic(app, app, 16379);
  });

  test('peers: false writes nothing for the members, and they stay denied', () => {
    const { chart, app, objects } = cluster({ peers: false });
    expect(objects.filter(o => o.metadata.name === 'redis-from-redis' || o.metadata.name === 'redis-to-redis')).toEqual([]);
    expect(findObject(objects, 'Service', 'redis-headless').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    expect(chart).toDenyTraffic(app, app);
    expect(reachabilityReport(chart).lines.filter(l => l.startsWith('shop/redis → shop/redis'))).toEqual([]);
  });

  test('without default deny nothing is written (the members already reach each other)', () => {
    const chart = chartIn();
    const app = new StatefulApp(chart, 'redis', { image: IMAGE, port: 6379, appProtocol: 'tcp', replicas: 3 });
    const objects = synthValid(chart);
    expect(objects.filter(o => o.kind === 'NetworkPolicy' || o.kind === 'AuthorizationPolicy')).toEqual([]);
    expect(chart).toAllowTraffic(app, app, 6379);
  });

  test('a workload allowed to itself with allow(x, x) shows in the report and the matchers', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const app = new StatefulApp(chart, 'redis', { image: IMAGE, port: 6379, appProtocol: 'tcp', peers: false });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(chart).toDenyTraffic(app, app, 6379);
    bundle.allow(app, app, 6379);
    expect(chart).toAllowTraffic(app, app, 6379);
    expect(reachabilityReport(chart).lines).toContain('shop/redis → shop/redis:6379');
  });

  test('fails when a member-only port has the number of a Service port', () => {
    expect(() => synthApp({ servicePort: 7000, ports: [{ name: 'bus', port: 7000, expose: false }] }))
      .toThrow(/^test\/redis: invalid ports 7000: the member port "bus" \(expose: false\) has the number of a port of the Services, so the headless Service cannot list both; give it another number, or set peers: false$/);
  });

  test('fails when peers is not a boolean', () => expect(() => synthApp({ peers: 'yes' as never })).toThrow(/^test\/redis: invalid peers "yes": must be/));
});
