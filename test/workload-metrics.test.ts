import { ApiObject, Chart } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps, HttpsGateway, NetworkPolicyBundle, SecureNamespace, WebApp, WebAppProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';
import { monitorWorkload } from '../src/internal/observability/workload-metrics';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function synthWeb(props: Partial<WebAppProps> = {}): Manifest[] {
  const chart = chartIn();
  new WebApp(chart, 'web', { image: IMAGE, ...props });
  return synthValid(chart);
}

function release(chart: Chart, props: Partial<CanaryReleaseProps> = {}): CanaryRelease {
  return new CanaryRelease(chart, 'api', {
    stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, ...props,
  });
}

const container = (objects: Manifest[], deployment = 'web'): any => findObject(objects, 'Deployment', deployment).spec.template.spec.containers[0];

describe('WebApp metrics on a port of their own', () => {
  // GIVEN a WebApp serving metrics on 9090
  const objects = synthWeb({ metrics: { port: 9090 } });

  test('adds the named container port and Service port "metrics"', () => {
    expect(container(objects).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(findObject(objects, 'Service', 'web').spec.ports[1]).toEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' });
  });

  test('writes a ServiceMonitor selecting the Service by its stable labels, scraping the metrics port', () => {
    const monitor = findObject(objects, 'ServiceMonitor', 'web');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.namespace).toBe('shop');
    expect(monitor.metadata.labels['app.kubernetes.io/component']).toBe('monitoring');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      endpoints: [{
        port: 'metrics',
        path: '/metrics',
        interval: '30s',
        scheme: 'http',
        relabelings: [{ action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'web' }],
      }],
    });
  });

  test('exposes the metrics port as a container port peers may be allowed to', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 9090, path: '/stats', interval: '1m' } });
    expect(web.containerPorts).toEqual([8080, 9090]);
    expect(web.metricsPort).toBe(9090);
    expect(web.serviceMonitor).toBeDefined();
    expect(findObject(synthValid(chart), 'ServiceMonitor', 'web').spec.endpoints[0]).toMatchObject({ path: '/stats', interval: '1m' });
  });
});

describe('WebApp metrics on a declared port', () => {
  test('metrics on the app port reuse the app port and add none', () => {
    const objects = synthWeb({ metrics: { port: 8080 } });
    expect(container(objects).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'web').spec.ports).toHaveLength(1);
    expect(findObject(objects, 'ServiceMonitor', 'web').spec.endpoints[0].port).toBe('http');
  });

  test('a port name names a declared port', () => {
    const objects = synthWeb({ appProtocol: 'grpc', metrics: { port: 'grpc' } });
    expect(findObject(objects, 'ServiceMonitor', 'web').spec.endpoints[0].port).toBe('grpc');
  });

  test('a declared port, by name or by number, is scraped under its own name and not added again', () => {
    for (const port of ['admin', 9100]) {
      const objects = synthWeb({ ports: [{ name: 'admin', port: 9100 }], metrics: { port } });
      expect(container(objects).ports.map((p: any) => p.name)).toEqual(['http', 'admin']);
      expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => p.name)).toEqual(['http', 'admin']);
      expect(findObject(objects, 'ServiceMonitor', 'web').spec.endpoints[0].port).toBe('admin');
    }
  });

  test('a sidecar exporter\'s port can serve the metrics', () => {
    const objects = synthWeb({
      sidecars: [{ name: 'exporter', image: 'ghcr.io/acme/exporter:1.0.0', ports: [{ name: 'exporter', port: 9187 }] }],
      metrics: { port: 'exporter' },
    });
    expect(container(objects).ports.map((p: any) => p.name)).toEqual(['http']);
    expect(findObject(objects, 'ServiceMonitor', 'web').spec.endpoints[0].port).toBe('exporter');
  });

  test('with declared ports, an added metrics port comes last on the container and the Service', () => {
    const objects = synthWeb({ ports: [{ name: 'admin', port: 9100 }], metrics: { port: 9090 } });
    expect(container(objects).ports.map((p: any) => `${p.name}:${p.containerPort}`)).toEqual(['http:8080', 'admin:9100', 'metrics:9090']);
    expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['http:8080', 'admin:9100', 'metrics:9090']);
  });

  test('no monitor without metrics', () => {
    expect(synthWeb().filter(o => o.kind === 'ServiceMonitor')).toEqual([]);
  });

  test('metrics.labels label the ServiceMonitor (for a Prometheus serviceMonitorSelector), beside the library\'s labels', () => {
    const monitor = findObject(synthWeb({ metrics: { port: 9090, labels: { 'release': 'kube-prometheus-stack', 'example.com/team': 'shop' } } }), 'ServiceMonitor', 'web');
    expect(monitor.metadata.labels).toMatchObject({ 'release': 'kube-prometheus-stack', 'example.com/team': 'shop', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/component': 'monitoring' });
  });
});

describe('CanaryRelease metrics', () => {
  // GIVEN a canary release serving metrics on 9090
  const chart = chartIn();
  const api = release(chart, { metrics: { port: 9090 } });
  const objects = synthValid(chart);

  test('both tracks serve the metrics port', () => {
    for (const track of ['api-stable', 'api-canary']) expect(container(objects, track).ports[1]).toEqual({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
    expect(api.stable.containerPorts).toEqual([8080, 9090]);
    expect(api.canary.containerPorts).toEqual([8080, 9090]);
  });

  test('one ServiceMonitor on the shared Service labels each series with its track', () => {
    expect(objects.filter(o => o.kind === 'ServiceMonitor').map(o => o.metadata.name)).toEqual(['api']);
    expect(findObject(objects, 'ServiceMonitor', 'api').spec.endpoints[0].relabelings).toEqual([
      { action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'api' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_cloudnative_constructs_io_track'], targetLabel: 'track' },
    ]);
    expect(findObject(objects, 'Deployment', 'api-canary').spec.template.metadata.labels['cloudnative-constructs.io/track']).toBe('canary');
  });
});

describe('CanaryRelease metrics with Gateway API routing', () => {
  test('the track Services carry the metrics port too, but the ServiceMonitor keeps only the release\'s Service', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['api.example.com'] });
    release(chart, { routing: 'gateway-api', route: { gateway, hosts: ['api.example.com'] }, metrics: { port: 9090 } });
    const objects = synthValid(chart);
    // the three Services share the release's labels, so the selector alone would match all three
    const selector = findObject(objects, 'ServiceMonitor', 'api').spec.selector.matchLabels;
    const selected = objects.filter(o => o.kind === 'Service' && Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v));
    expect(selected.map(o => o.metadata.name).sort()).toEqual(['api', 'api-canary', 'api-stable']);
    expect(findObject(objects, 'ServiceMonitor', 'api').spec.endpoints[0].relabelings[0])
      .toEqual({ action: 'keep', sourceLabels: ['__meta_kubernetes_service_name'], regex: 'api' });
  });
});

describe('allowMonitoring with declared metrics', () => {
  test('opens exactly each workload\'s metrics port, whichever is created first', () => {
    for (const bundleFirst of [true, false]) {
      const chart = chartIn();
      if (bundleFirst) new NetworkPolicyBundle(chart, 'net', { allowMonitoring: true });
      new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 9090 } });
      release(chart, { metrics: { port: 9100 } });
      new WebApp(chart, 'plain', { image: IMAGE });
      if (!bundleFirst) new NetworkPolicyBundle(chart, 'net', { allowMonitoring: true });
      const objects = synthValid(chart);
      expect(findObject(objects, 'NetworkPolicy', 'web-from-monitoring').spec).toEqual({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }],
      });
      expect(findObject(objects, 'NetworkPolicy', 'api-from-monitoring').spec.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
      // no namespace-wide any-port allowance once workloads declare their metrics
      expect(objects.filter(o => o.metadata.name === 'allow-monitoring')).toEqual([]);
    }
  });

  test('a custom monitoring namespace, and an explicit port still opens that port namespace-wide', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 9090 } });
    new NetworkPolicyBundle(chart, 'net', { allowMonitoring: { namespace: 'prometheus', port: 9100 } });
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'web-from-monitoring').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'prometheus' });
    expect(findObject(objects, 'NetworkPolicy', 'allow-monitoring').spec.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
  });

  test('in an Istio deny-by-default STRICT namespace: the ALLOW policy for the metrics port and plain text accepted on it only', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new NetworkPolicyBundle(chart, 'net', { allowMonitoring: true });
    new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 9090 } });
    const objects = synthValid(chart);
    expect(findObject(objects, 'AuthorizationPolicy', 'web-from-monitoring').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { ports: ['9090'] } }] }],
    });
    expect(findObject(objects, 'PeerAuthentication', 'web-metrics').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    });
    expect(objects.filter(o => o.metadata.name === 'allow-monitoring')).toEqual([]);
  });

  test('no PERMISSIVE port outside a STRICT namespace', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { mtls: 'PERMISSIVE' } });
    new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 9090 } });
    expect(synthValid(chart).filter(o => o.kind === 'PeerAuthentication').map(o => o.metadata.name)).toEqual(['default']);
  });

  test('metrics on the app port in a deny-by-default mesh keep the identity check', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true, mtls: 'PERMISSIVE' } });
    new NetworkPolicyBundle(chart, 'net', { allowMonitoring: true });
    new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 8080 } });
    expect(findObject(synthValid(chart), 'AuthorizationPolicy', 'web-from-monitoring').spec.rules).toEqual([
      { from: [{ source: { namespaces: ['monitoring'] } }], to: [{ operation: { ports: ['8080'] } }] },
    ]);
  });

  test('allow() accepts the metrics port', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = release(chart, { metrics: { port: 9100 } });
    new NetworkPolicyBundle(chart, 'net').allow(web, api, 9100);
    expect(findObject(synthValid(chart), 'NetworkPolicy', 'api-from-web').spec.ingress[0].ports).toEqual([{ port: 9100, protocol: 'TCP' }]);
  });
});

describe('a workload without a Service gets a PodMonitor', () => {
  test('the PodMonitor selects the pods, scrapes the named port and sets job to the workload name', () => {
    const chart = chartIn();
    const labels = { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'worker' };
    new ApiObject(chart, 'worker', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'worker',
              image: IMAGE,
              ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
            }],
          },
        },
      },
    });
    monitorWorkload(chart, {
      name: 'worker',
      labels,
      selector: labels,
      appPort: 8080,
      hasService: false,
      metrics: { port: 9090, portName: 'metrics', addsPort: true, exposed: false, path: '/metrics', interval: '30s', labels: {} },
    });
    const monitor = findObject(synthValid(chart), 'PodMonitor', 'worker');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: labels },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http', relabelings: [{ action: 'replace', targetLabel: 'job', replacement: 'worker' }] }],
    });
  });
});

describe('bad metrics input', () => {
  const make = (metrics: unknown, props: Partial<WebAppProps> = {}) => () => new WebApp(chartIn(), 'web', { image: IMAGE, ...props, metrics: metrics as never });

  test('fails when metrics is not an object', () => {
    expect(make(9090)).toThrow(/test\/web: invalid metrics 9090: must be an object \{ port, path\?, interval\?, labels\?, service\? \}/);
  });

  test('fails when the port is out of range or names no declared port', () => {
    expect(make({ port: 70000 })).toThrow(/test\/web: invalid metrics\.port 70000: must be an integer port number between 1 and 65535/);
    expect(make({ port: 'admin' })).toThrow(/test\/web: invalid metrics\.port "admin": must be a port number or the name of a declared port: "http" \(8080\)/);
  });

  test('fails when the port name "metrics" is taken by another port', () => {
    expect(make({ port: 9090 }, { ports: [{ name: 'metrics', port: 9100 }] }))
      .toThrow(/test\/web: invalid metrics\.port 9090: the port name "metrics" is already declared for port 9100; give metrics\.port: "metrics" to scrape that port, or rename it/);
  });

  test('fails when a ServiceMonitor would scrape a port the Service does not expose', () => {
    expect(make({ port: 'admin' }, { ports: [{ name: 'admin', port: 9100, expose: false }] }))
      .toThrow(/test\/web: invalid metrics\.port "admin": is not exposed on the Service \(expose: false\), and the ServiceMonitor scrapes the Service's endpoints/);
  });

  test('fails when the metrics port is the Service port of another container port', () => {
    expect(make({ port: 80 }, { servicePort: 80 })).toThrow(/test\/web: invalid metrics\.port 80: the Service already exposes port 80 \(servicePort, forwarding to 8080\)/);
  });

  test('fails when metrics.labels are not label keys and values, or set the library\'s labels', () => {
    expect(make({ port: 9090, labels: { 'bad key!': 'x' } })).toThrow(/test\/web: invalid metrics\.labels\.bad key! "bad key!": must be a label or annotation key/);
    expect(make({ port: 9090, labels: { release: 'not a value' } })).toThrow(/test\/web: invalid metrics\.labels\.release "not a value": must be a label value/);
    expect(make({ port: 9090, labels: { 'app.kubernetes.io/component': 'metrics' } }))
      .toThrow(/test\/web: invalid metrics\.labels\.app\.kubernetes\.io\/component "metrics": app\.kubernetes\.io\/\* labels are written by the library from the workload; use another key, e\.g\. \{ release: "kube-prometheus-stack" \}/);
    expect(make({ port: 9090, labels: { release: 7 } })).toThrow(/invalid metrics\.labels\.release 7: must be a string/);
  });

  test('fails when the path or interval is malformed', () => {
    expect(make({ port: 9090, path: 'metrics' })).toThrow(/test\/web: invalid metrics\.path "metrics": must be an HTTP path starting with '\/'/);
    expect(make({ port: 9090, interval: '30' })).toThrow(/test\/web: invalid metrics\.interval "30": must be a Prometheus duration.*\(did you mean "30s"\?\)/);
    expect(make({ port: 9090, interval: '1.5m' })).toThrow(/invalid metrics\.interval "1\.5m": must be a Prometheus duration/);
    expect(make({ port: 9090, interval: '500ms' })).toThrow(/invalid metrics\.interval "500ms": must be at least 1s/);
  });

  test('fails at synthesis when metrics share the app port in a STRICT mTLS namespace', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    new WebApp(chart, 'web', { image: IMAGE, metrics: { port: 8080 } });
    expect(() => synthValid(chart)).toThrow(/test\/web: invalid metrics\.port 8080: it is the app's own port, and namespace "shop" requires mutual TLS \(STRICT\)/);
  });
});
