import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { WebApp, WebAppProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function synthApp(props: Partial<WebAppProps> = {}, id = 'web'): Manifest[] {
  const chart = chartIn();
  new WebApp(chart, id, { image: IMAGE, ...props });
  return synthValid(chart);
}

function podSpec(objects: Manifest[], name = 'web'): any {
  return findObject(objects, 'Deployment', name).spec.template.spec;
}

describe('WebApp defaults', () => {
  // GIVEN a WebApp with only an image
  const objects = synthApp();
  const deployment = findObject(objects, 'Deployment', 'web');
  const container = deployment.spec.template.spec.containers[0];

  test('creates exactly a Deployment, Service, ServiceAccount and PodDisruptionBudget named after the id', () => {
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/web', 'PodDisruptionBudget/web', 'Service/web', 'ServiceAccount/web',
    ]);
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('labels every object with the Kubernetes recommended labels', () => {
    for (const object of objects) {
      expect(object.metadata.labels).toEqual({
        'app.kubernetes.io/name': 'web',
        'app.kubernetes.io/instance': 'web',
        'app.kubernetes.io/version': '1.4.2',
        'app.kubernetes.io/component': 'server',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'cloudnative-constructs',
      });
    }
  });

  test('selects pods only by labels that never change across releases', () => {
    const selector = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
    expect(deployment.spec.selector).toEqual({ matchLabels: selector });
    expect(findObject(objects, 'Service', 'web').spec.selector).toEqual(selector);
    expect(findObject(objects, 'PodDisruptionBudget', 'web').spec.selector).toEqual({ matchLabels: selector });
  });

  test('runs two replicas with zero-downtime rolling updates', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
  });

  test('hardens the pod to the restricted profile with a read-only root filesystem', () => {
    const spec = podSpec(objects);
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
    });
  });

  test('mounts an emptyDir at /tmp', () => {
    expect(podSpec(objects).volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('uses its own ServiceAccount without mounting a token', () => {
    expect(podSpec(objects).serviceAccountName).toBe('web');
    expect(podSpec(objects).automountServiceAccountToken).toBe(false);
    expect(findObject(objects, 'ServiceAccount', 'web').automountServiceAccountToken).toBe(false);
  });

  test('requests cpu and memory and limits memory to the request', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
  });

  test('probes readiness and liveness over TCP on the app port', () => {
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 });
    expect(container.livenessProbe).toEqual({
      tcpSocket: { port: 8080 }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 1,
    });
    expect(container.startupProbe).toBeUndefined();
  });

  test('exposes a named container port and a Service on it with appProtocol, reachable as http://web:8080', () => {
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(findObject(objects, 'Service', 'web').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    });
  });

  test('budgets one unavailable pod at a time', () => {
    const budget = findObject(objects, 'PodDisruptionBudget', 'web');
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(budget.spec.minAvailable).toBeUndefined();
  });

  test('spreads pods across zones and nodes without blocking scheduling', () => {
    expect(podSpec(objects).topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway', 1],
      ['kubernetes.io/hostname', 'ScheduleAnyway', 1],
    ]);
  });

  test('writes no Ingress and no ConfigMap', () => {
    expect(objects.some(o => o.kind === 'Ingress' || o.kind === 'ConfigMap')).toBe(false);
  });
});

describe('WebApp props', () => {
  test('name overrides the id for every object', () => {
    const objects = synthApp({ name: 'storefront' });
    expect(objects.map(o => o.metadata.name)).toEqual(objects.map(() => 'storefront'));
  });

  test('port sets the container port, probes and Service; servicePort the Service port only', () => {
    const objects = synthApp({ port: 3000, servicePort: 80 });
    const container = podSpec(objects).containers[0];
    expect(container.ports[0].containerPort).toBe(3000);
    expect(container.readinessProbe.tcpSocket.port).toBe(3000);
    expect(findObject(objects, 'Service', 'web').spec.ports[0]).toMatchObject({ port: 80, targetPort: 'http' });
  });

  test('appProtocol names the ports and sets the Service appProtocol', () => {
    const objects = synthApp({ appProtocol: 'grpc' });
    expect(podSpec(objects).containers[0].ports[0].name).toBe('grpc');
    expect(findObject(objects, 'Service', 'web').spec.ports[0]).toMatchObject({ name: 'grpc', appProtocol: 'grpc', targetPort: 'grpc' });
  });

  test('env and secretEnv become sorted container variables', () => {
    const objects = synthApp({ env: { Z_LAST: '1', A_FIRST: 'x' }, secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } });
    expect(podSpec(objects).containers[0].env).toEqual([
      { name: 'A_FIRST', value: 'x' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'Z_LAST', value: '1' },
    ]);
  });

  test('config becomes a ConfigMap read as environment, rolled by a content checksum', () => {
    const checksum = (config: Record<string, string>) =>
      findObject(synthApp({ config }), 'Deployment', 'web').spec.template.metadata.annotations['checksum/config'];
    const objects = synthApp({ config: { MODE: 'fast', COLOR: 'blue' } });
    expect(findObject(objects, 'ConfigMap', 'web-config').data).toEqual({ MODE: 'fast', COLOR: 'blue' });
    expect(podSpec(objects).containers[0].envFrom).toEqual([{ configMapRef: { name: 'web-config' } }]);
    expect(checksum({ MODE: 'fast', COLOR: 'blue' })).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ COLOR: 'blue', MODE: 'fast' })).toBe(checksum({ MODE: 'fast', COLOR: 'blue' }));
    expect(checksum({ MODE: 'slow', COLOR: 'blue' })).not.toBe(checksum({ MODE: 'fast', COLOR: 'blue' }));
  });

  test('resources: a cpu limit, and a memory request whose limit follows it', () => {
    const objects = synthApp({ resources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi' } } });
    expect(podSpec(objects).containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  test('resources: a limit alone is also the request', () => {
    const objects = synthApp({ resources: { memory: { limit: '1Gi' } } });
    expect(podSpec(objects).containers[0].resources.requests.memory).toBe('1Gi');
  });

  test('probes: a path string is an HTTP GET on the app port; options give exec and timing; false removes', () => {
    const objects = synthApp({
      probes: { readiness: '/healthz', liveness: { command: ['/bin/check'], periodSeconds: 30 }, startup: { path: '/started', port: 9000, failureThreshold: 60 } },
    });
    const container = podSpec(objects).containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 1 });
    expect(container.livenessProbe).toEqual({ exec: { command: ['/bin/check'] }, initialDelaySeconds: 10, periodSeconds: 30, failureThreshold: 6, timeoutSeconds: 1 });
    expect(container.startupProbe).toEqual({ httpGet: { path: '/started', port: 9000 }, periodSeconds: 10, failureThreshold: 60, timeoutSeconds: 1 });
    const none = podSpec(synthApp({ probes: { readiness: false, liveness: false } })).containers[0];
    expect(none.readinessProbe).toBeUndefined();
    expect(none.livenessProbe).toBeUndefined();
  });

  test('probes: grpc checks the gRPC health service on the port (k8s GA since 1.27), httpHeaders go with the HTTP GET', () => {
    // Online Boutique's services probe `grpc: { port: 7070 }` (18 of its 22 probes)
    const objects = synthApp({
      port: 7070,
      appProtocol: 'grpc',
      probes: {
        readiness: { grpc: true, periodSeconds: 5 },
        liveness: { grpc: { service: 'hipstershop.CartService' }, port: 7070 },
        startup: { path: '/healthz', port: 9000, httpHeaders: { 'Host': 'shop.example.com', 'X-Probe': 'startup' } },
      },
    });
    const container = podSpec(objects).containers[0];
    expect(container.readinessProbe).toEqual({ grpc: { port: 7070 }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 1 });
    expect(container.livenessProbe.grpc).toEqual({ port: 7070, service: 'hipstershop.CartService' });
    expect(container.startupProbe.httpGet).toEqual({
      path: '/healthz', port: 9000, httpHeaders: [{ name: 'Host', value: 'shop.example.com' }, { name: 'X-Probe', value: 'startup' }],
    });
  });

  test('probes: a grpc probe may name a declared port', () => {
    const objects = synthApp({ ports: [{ name: 'grpc-health', port: 9555, appProtocol: 'grpc' }], probes: { readiness: { grpc: true, port: 'grpc-health' } } });
    expect(podSpec(objects).containers[0].readinessProbe.grpc).toEqual({ port: 9555 });
  });

  test('ingress: host, default path /, class, and TLS from <name>-tls', () => {
    const objects = synthApp({ ingress: { host: 'shop.example.com', className: 'nginx', tls: true } });
    expect(findObject(objects, 'Ingress', 'web').spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
      rules: [{
        host: 'shop.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] },
      }],
    });
  });

  test('ingress: a cluster issuer adds the cert-manager annotation; the backend is the Service port', () => {
    const objects = synthApp({ servicePort: 80, ingress: { host: 'shop.example.com', path: '/shop', tls: { clusterIssuer: 'letsencrypt', secretName: 'shop-cert' } } });
    const ingress = findObject(objects, 'Ingress', 'web');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-cert' }]);
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: '/shop', backend: { service: { name: 'web', port: { number: 80 } } } });
  });

  test('ingress without tls serves plain HTTP', () => {
    expect(findObject(synthApp({ ingress: { host: 'shop.example.com' } }), 'Ingress', 'web').spec.tls).toBeUndefined();
  });

  test('disruptionBudget: minAvailable replaces the default; false removes it', () => {
    expect(findObject(synthApp({ replicas: 3, disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget', 'web').spec)
      .toMatchObject({ minAvailable: 2 });
    expect(findObject(synthApp({ disruptionBudget: { maxUnavailable: '50%' } }), 'PodDisruptionBudget', 'web').spec.maxUnavailable).toBe('50%');
    expect(synthApp({ disruptionBudget: false }).some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('a single replica gets no disruption budget', () => {
    const objects = synthApp({ replicas: 1 });
    expect(findObject(objects, 'Deployment', 'web').spec.replicas).toBe(1);
    expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('serviceAccount: a chosen name, and a token when asked', () => {
    const objects = synthValid(withApp({ serviceAccount: { name: 'web-runner', automountToken: true } }), { skipHardening: ['serviceAccountToken'] });
    expect(podSpec(objects).serviceAccountName).toBe('web-runner');
    expect(podSpec(objects).automountServiceAccountToken).toBe(true);
    expect(findObject(objects, 'ServiceAccount', 'web-runner').automountServiceAccountToken).toBe(true);
  });

  test('writablePaths replace /tmp with one emptyDir each', () => {
    const objects = synthApp({ writablePaths: ['/var/cache/nginx', '/run'] });
    expect(podSpec(objects).volumes).toEqual([{ name: 'var-cache-nginx', emptyDir: {} }, { name: 'run', emptyDir: {} }]);
    expect(podSpec(objects).containers[0].volumeMounts).toEqual([
      { name: 'var-cache-nginx', mountPath: '/var/cache/nginx' }, { name: 'run', mountPath: '/run' },
    ]);
  });

  test('every opinionated default can be switched off', () => {
    const objects = synthValid(withApp({
      readOnlyRootFilesystem: false, topologySpread: false, disruptionBudget: false, writablePaths: [], probes: { readiness: false, liveness: false },
    }), { skipHardening: ['readOnlyRootFilesystem'] });
    const spec = podSpec(objects);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec.topologySpreadConstraints).toBeUndefined();
    expect(spec.volumes).toBeUndefined();
    expect(objects.some(o => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('runAsUser sets the pod user and group', () => {
    expect(podSpec(synthApp({ runAsUser: 65532 })).securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
  });

  test('a digest-pinned image is accepted and versioned by its digest', () => {
    const digest = 'sha256:' + 'ab'.repeat(32);
    const objects = synthApp({ image: `ghcr.io/acme/web@${digest}` });
    expect(podSpec(objects).containers[0].image).toBe(`ghcr.io/acme/web@${digest}`);
    expect(findObject(objects, 'Deployment', 'web').metadata.labels['app.kubernetes.io/version']).toBe('abababababab');
  });

  test('exposes its objects, and a JSON patch on them reaches the output', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'critical'));
    web.service.metadata.addAnnotation('example.com/owner', 'team-shop');
    const objects = synthValid(chart);
    expect(podSpec(objects).priorityClassName).toBe('critical');
    expect(findObject(objects, 'Service', 'web').metadata.annotations).toEqual({ 'example.com/owner': 'team-shop' });
    expect([web.deployment, web.service, web.serviceAccount, web.disruptionBudget].map(o => o?.kind)).toEqual(['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']);
  });

  test('snapshot of a full-featured app', () => {
    expect(synthApp({
      port: 3000,
      servicePort: 80,
      replicas: 3,
      env: { LOG_LEVEL: 'info' },
      secretEnv: { TOKEN: { secret: 'web-secrets', key: 'token' } },
      config: { FEATURE_X: 'on' },
      resources: { cpu: { request: '200m' }, memory: { request: '300Mi', limit: '600Mi' } },
      probes: { readiness: '/ready', liveness: '/live', startup: { path: '/ready', failureThreshold: 30 } },
      ingress: { host: 'shop.example.com', tls: { clusterIssuer: 'letsencrypt' } },
      disruptionBudget: { minAvailable: 2 },
      writablePaths: ['/tmp', '/var/run/app'],
    })).toMatchSnapshot();
  });
});

function withApp(props: Partial<WebAppProps>): Chart {
  const chart = chartIn();
  new WebApp(chart, 'web', { image: IMAGE, ...props });
  return chart;
}

describe('WebApp bad input', () => {
  const fails = (props: Partial<WebAppProps>, pattern: RegExp, id = 'web') =>
    expect(() => new WebApp(chartIn(), id, { image: IMAGE, ...props })).toThrow(pattern);

  test('fails when the image uses the latest tag', () => fails({ image: 'nginx:latest' }, /test\/web: invalid image "nginx:latest": the tag "latest" names the channel "latest"/));
  test('fails when a tag floats without saying latest: no version number, or a channel word (on main before this change: accepted)', () => {
    for (const image of ['redis:alpine', 'busybox:stable', 'nginx:mainline', 'alpine:edge', 'ghcr.io/acme/web:dev']) {
      fails({ image }, new RegExp(`^test/web: invalid image "${image}": the tag "[a-z]+" (has no version number|names the channel)`));
    }
    for (const image of ['node:lts-alpine3.19', 'nginx:mainline-alpine3.18', 'ghcr.io/acme/api:1.2-SNAPSHOT', 'ghcr.io/acme/api:nightly-20240101']) {
      fails({ image }, /names the channel "(lts|mainline|snapshot|nightly)", which moves to each new release and is not allowed \(a pinned tag names a release: it contains a digit/);
    }
  });
  test('accepts release tags, with or without a variant, and any tag with a digest', () => {
    for (const image of ['redis:7.2.4-alpine', 'nginx:1.25-alpine3.18', 'ghcr.io/acme/web:v1.4.2', 'ghcr.io/acme/web:2024.01.15', `redis:alpine@sha256:${'a'.repeat(64)}`]) {
      expect(() => synthApp({ image })).not.toThrow();
    }
  });
  test('fails when the image is untagged', () => fails({ image: 'ghcr.io/acme/web' }, /test\/web: invalid image "ghcr.io\/acme\/web": the image is not pinned/));
  test('fails when the image is empty', () => fails({ image: '' }, /test\/web: invalid image "": an image reference is required/));
  test('fails when the image digest is malformed', () => fails({ image: 'web@sha256:abc' }, /invalid image "web@sha256:abc": the digest must be/));
  test('fails when resources is not an object', () => fails({ resources: 'x' as any }, /test\/web: invalid resources "x": must be an object \{ cpu\?, memory\? \}/));
  test('fails when a resource is a bare quantity instead of a ResourceSpec', () => fails({ resources: { cpu: '250m' as any } }, /test\/web: invalid resources.cpu "250m": must be an object \{ request\?, limit\? \}/));
  test('fails when env is not an object', () => fails({ env: ['A=1'] as any }, /test\/web: invalid env \["A=1"\]: must be an object mapping each name to a string/));
  test('fails when the port is 0', () => fails({ port: 0 }, /test\/web: invalid port 0: must be an integer port number between 1 and 65535/));
  test('fails when the port is above 65535', () => fails({ port: 70000 }, /invalid port 70000: must be an integer port number between 1 and 65535/));
  test('fails when the service port is out of range', () => fails({ servicePort: -1 }, /invalid servicePort -1/));
  test('fails when replicas are negative', () => fails({ replicas: -1 }, /test\/web: invalid replicas -1: must be an integer >= 0/));
  test('fails when replicas are fractional', () => fails({ replicas: 1.5 }, /invalid replicas 1.5: must be an integer >= 0/));
  test('fails when the name has uppercase letters', () => fails({ name: 'Web' }, /test\/web: invalid name "Web": must be a DNS-1035 label.*did you mean "web"/));
  test('fails when the name has an underscore', () => fails({}, /invalid name "my_web": must be a DNS-1035 label/, 'my_web'));
  test('fails when the name is over 63 characters', () => fails({ name: 'a'.repeat(64) }, /invalid name "a{64}": must be a DNS-1035 label: at most 63/));
  test('fails when a cpu quantity is malformed', () => fails({ resources: { cpu: { request: '250 millicores' } } }, /test\/web: invalid resources.cpu.request "250 millicores": must be a Kubernetes quantity such as "250m"/));
  test('fails when a memory quantity is malformed', () => fails({ resources: { memory: { request: '1GB' } } }, /invalid resources.memory.request "1GB": must be a Kubernetes quantity such as "256Mi"/));
  test('fails when memory uses milli units', () => fails({ resources: { memory: { request: '512m' } } }, /invalid resources.memory.request "512m": "m" means thousandths.*"512Mi"/));
  test('fails when a memory limit is below its request', () => fails({ resources: { memory: { request: '1Gi', limit: '512Mi' } } }, /test\/web: invalid resources.memory.limit "512Mi": must not be below the request "1Gi"/));
  test('fails when a cpu limit is below its request', () => fails({ resources: { cpu: { request: '1', limit: '500m' } } }, /invalid resources.cpu.limit "500m": must not be below the request "1"/));
  test('fails when the ingress host has a scheme', () => fails({ ingress: { host: 'https://shop.example.com' } }, /test\/web: invalid ingress.host "https:\/\/shop.example.com": must be a bare DNS host name.*did you mean "shop.example.com"/));
  test('fails when the ingress host has a path', () => fails({ ingress: { host: 'shop.example.com/cart' } }, /invalid ingress.host "shop.example.com\/cart": must be a bare DNS host name/));
  test('fails when the ingress path does not start with /', () => fails({ ingress: { host: 'shop.example.com', path: 'cart' } }, /test\/web: invalid ingress.path "cart": must be an HTTP path starting with '\/' \(e.g. "\/cart"\)/));
  test('fails when an env name is invalid', () => fails({ env: { '1BAD': 'x' } }, /test\/web: invalid env.1BAD "1BAD": environment variable names/));
  test('fails when an env name has a space', () => fails({ env: { 'LOG LEVEL': 'x' } }, /invalid env.LOG LEVEL "LOG LEVEL"/));
  test('fails when a secret env name is invalid', () => fails({ secretEnv: { '=X': { secret: 'db', key: 'k' } } }, /invalid secretEnv.=X "=X"/));
  test('fails when a secret name is invalid', () => fails({ secretEnv: { DB: { secret: 'Bad_Secret', key: 'k' } } }, /invalid secretEnv.DB.secret "Bad_Secret": must be a DNS-1123 subdomain/));
  test('fails when a probe path does not start with /', () => fails({ probes: { readiness: 'healthz' } }, /test\/web: invalid probes.readiness.path "healthz": must be an HTTP path starting with '\/' \(e.g. "\/healthz"\)/));
  test('fails when a probe has both path and command', () => fails({ probes: { liveness: { path: '/x', command: ['x'] } } },
    /invalid probes.liveness .*: give one of `path` \(HTTP GET\), `command` \(exec\) or `grpc` \(gRPC health check\), not `path` and `command`/));
  test('fails when a probe has grpc and path or command', () => {
    fails({ probes: { readiness: { grpc: true, path: '/x' } } }, /invalid probes.readiness .*: give one of .*, not `path` and `grpc`/);
    fails({ probes: { liveness: { grpc: { service: 'x' }, command: ['x'] } } }, /invalid probes.liveness .*: give one of .*, not `command` and `grpc`/);
  });
  test('fails when grpc is neither true nor { service }', () => {
    fails({ probes: { readiness: { grpc: false as any } } }, /^test\/web: invalid probes.readiness.grpc false: must be true or an object \{ service\? \}/);
    fails({ probes: { readiness: { grpc: { service: '' } } } }, /invalid probes.readiness.grpc.service "": must be a non-empty service name/);
  });
  test('fails when httpHeaders come without path or name a bad header', () => {
    fails({ probes: { readiness: { httpHeaders: { Host: 'a' } } } }, /invalid probes.readiness.httpHeaders \{"Host":"a"\}: headers go with an HTTP GET: give `path` too/);
    fails({ probes: { readiness: { path: '/x', httpHeaders: { 'Bad Header': 'a' } } } }, /invalid probes.readiness.httpHeaders "Bad Header": header names are letters, digits and '-' only/);
  });
  test('fails when a writable path is relative', () => fails({ writablePaths: ['tmp'] }, /test\/web: invalid writablePaths "tmp": must be an absolute path/));
  test('fails when minAvailable is not below the replicas', () => fails({ replicas: 2, disruptionBudget: { minAvailable: 2 } }, /test\/web: invalid disruptionBudget.minAvailable 2: must be below the 2 replicas/));
  test('fails when minAvailable is 100%', () => fails({ replicas: 3, disruptionBudget: { minAvailable: '100%' } }, /invalid disruptionBudget.minAvailable "100%": must be below the 3 replicas/));
  test('fails when maxUnavailable is 0', () => fails({ disruptionBudget: { maxUnavailable: 0 } }, /invalid disruptionBudget.maxUnavailable 0: must let at least one pod be evicted/));
  test('fails when both budget fields are given', () => fails({ disruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, /invalid disruptionBudget .*: give either minAvailable or maxUnavailable/));
  test('fails when runAsUser is root', () => fails({ runAsUser: 0 }, /invalid runAsUser 0: must be an integer between 1 and/));

  test('fails at synth when a budget is given to a single replica', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, replicas: 1, disruptionBudget: { maxUnavailable: 1 } });
    expect(() => Testing.synth(chart)).toThrow(/test\/web: invalid disruptionBudget .*the app runs a single replica/);
  });

  test('fails when two apps have the same name in one namespace', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE });
    expect(() => new WebApp(chart, 'web2', { image: IMAGE, name: 'web' }))
      .toThrow(/test\/web2: invalid name "web": a Deployment named "web" already exists in namespace "shop" \(created by test\/web\)/);
  });

  test('two apps with the same name in different namespaces are fine', () => {
    const app = Testing.app();
    new WebApp(new Chart(app, 'a', { namespace: 'team-a' }), 'web', { image: IMAGE });
    new WebApp(new Chart(app, 'b', { namespace: 'team-b' }), 'web', { image: IMAGE });
    expect(synthValid(app as App).filter(o => o.kind === 'Deployment')).toHaveLength(2);
  });
});

describe('WebApp wiring checks at synth', () => {
  function patched(patch: (web: WebApp) => void): () => unknown {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE, ingress: { host: 'shop.example.com' } });
    patch(web);
    return () => Testing.synth(chart);
  }

  test('fails when a patch makes the Service select no pods, naming both ends', () => {
    expect(patched(web => ApiObject.of(web.deployment).addJsonPatch(JsonPatch.replace('/spec/template/metadata/labels/app.kubernetes.io~1name', 'other'))))
      .toThrow(/test\/web: Service web selects no pods: its selector .* matches none of Deployment web/);
  });

  test('fails when a patch renames the container port the Service targets', () => {
    expect(patched(web => ApiObject.of(web.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0/name', 'web'))))
      .toThrow(/test\/web: Service web port "http" targets "http", which no container of Deployment web exposes/);
  });

  test('fails when a patch points the Ingress at a port the Service does not expose', () => {
    expect(patched(web => ApiObject.of(web.ingress!).addJsonPatch(JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/port/number', 9999))))
      .toThrow(/test\/web: Ingress web path "\/" points at port \{"number":9999\}, which Service web does not expose/);
  });

  test('fails when a patch points the Ingress at another Service', () => {
    expect(patched(web => ApiObject.of(web.ingress!).addJsonPatch(JsonPatch.replace('/spec/rules/0/http/paths/0/backend/service/name', 'gone'))))
      .toThrow(/test\/web: Ingress web path "\/" points at Service "gone", not at Service web/);
  });
});
