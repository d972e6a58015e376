import { App, Chart, Testing } from 'cdk8s';
import { Autoscaled, NetworkPolicyBundle, reachabilityReport, ScheduledJob, SecureNamespace, StatefulApp, WebApp, Worker } from '../src';
import { findObject, Manifest, synthValid } from './harness';

function key(o: Manifest): string {
  return `${o.apiVersion.split('/')[0]}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

type Order = 'namespace-first' | 'bundle-first';

/** An API, a queue consumer, a Redis and a nightly job behind one SecureNamespace and one bundle, created in a chosen order. */
function buildShop(order: Order): { app: App; chart: Chart; objects: Manifest[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const secure = () => new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  if (order === 'namespace-first') secure();
  const api = new WebApp(chart, 'api', { image: 'ghcr.io/acme/api:2.0.0' });
  const consumer = new Worker(chart, 'consumer', { image: 'ghcr.io/acme/consumer:1.0.0', port: 9090 });
  const redis = new StatefulApp(chart, 'redis', { image: 'docker.io/library/redis:7.2.4', port: 6379, appProtocol: 'tcp', replicas: 3, storage: { size: '5Gi', mountPath: '/data' } });
  const report = new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '0 3 * * *', timeZone: 'Europe/Berlin' });
  new Autoscaled(chart, 'consumer-scaling', { target: consumer, maxReplicas: 6 });
  new NetworkPolicyBundle(chart, 'net')
    .allow(consumer, redis)
    .allow(consumer, api)
    .allow(report, api)
    .allow(api, redis)
    .allowEgress(consumer, { cidr: '10.30.0.0/16', ports: [5672] })
    .allowEgress(report, { namespace: 'billing', ports: [8443] });
  if (order === 'bundle-first') secure();
  return { app, chart, objects: synthValid(chart) };
}

describe.each(['namespace-first', 'bundle-first'] as const)('SecureNamespace + NetworkPolicyBundle + Worker, StatefulApp, ScheduledJob (%s)', (order) => {
  // GIVEN every new workload in one locked-down namespace
  const { chart, objects } = buildShop(order);

  test('never yields two objects of the same kind and name', () => {
    const keys = objects.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  test('the same set of objects whichever is constructed first', () => {
    expect(buildShop(order === 'namespace-first' ? 'bundle-first' : 'namespace-first').objects.map(key).sort()).toEqual(objects.map(key).sort());
  });

  test('the worker and the job reach their receivers on container ports, at L3 and with their own identity at L7', () => {
    expect(findObject(objects, 'NetworkPolicy', 'redis-from-consumer').spec.ingress[0].ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    expect(findObject(objects, 'NetworkPolicy', 'consumer-to-redis').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'consumer', 'app.kubernetes.io/instance': 'consumer' } });
    expect(findObject(objects, 'AuthorizationPolicy', 'api-from-report').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/report'] } }]);
    expect(findObject(objects, 'AuthorizationPolicy', 'redis-from-consumer').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/consumer'] } }]);
  });

  test('egress to a CIDR and a namespace is opened for one workload only', () => {
    expect(findObject(objects, 'NetworkPolicy', 'consumer-egress').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'consumer', 'app.kubernetes.io/instance': 'consumer' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ port: 5672, protocol: 'TCP' }] }],
    });
    expect(findObject(objects, 'NetworkPolicy', 'report-egress').spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } } }], ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
  });

  test('the reachability report shows exactly the declared flows of the new workloads', () => {
    const lines = reachabilityReport(chart).lines;
    expect(lines).toEqual(expect.arrayContaining([
      'shop/consumer → shop/redis:6379',
      'shop/consumer → shop/api:8080',
      'shop/report → shop/api:8080',
      'shop/api → shop/redis:6379',
      'shop/consumer → 10.30.0.0/16:5672',
      'shop/report → billing/*:8443',
      // the StatefulApp's members reach each other (peers, on by default)
      'shop/redis → shop/redis:6379',
    ]));
    expect(lines.filter(l => / → shop\/consumer:/.test(l))).toEqual([]);
    expect(lines.filter(l => l.startsWith('shop/report → 10.') || l.startsWith('shop/api → 10.') || l.startsWith('shop/redis → '))
      .filter(l => !l.includes('kube-dns') && !l.includes('istiod') && l !== 'shop/redis → shop/redis:6379')).toEqual([]);
    expect(lines.filter(l => l.includes('(anywhere)'))).toEqual([]);
  });
});
