import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps, NetworkPolicyBundle, WebApp, WebAppProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';
import { resolveWorkloadOptions } from '../src/internal/workload/workload';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const SIDECAR_IMAGE = 'ghcr.io/acme/proxy:3.1.0';

function webApp(props: Partial<WebAppProps> = {}, chart = chartIn()): WebApp {
  return new WebApp(chart, 'web', { image: IMAGE, ...props });
}

function synthApp(props: Partial<WebAppProps> = {}, options: Parameters<typeof synthValid>[1] = {}): Manifest[] {
  const chart = chartIn();
  webApp(props, chart);
  return synthValid(chart, options);
}

function synthRelease(props: Partial<CanaryReleaseProps> = {}): Manifest[] {
  const chart = chartIn();
  new CanaryRelease(chart, 'api', {
    stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, ...props,
  });
  return synthValid(chart);
}

const template = (objects: Manifest[], name = 'web') => findObject(objects, 'Deployment', name).spec.template;
const podSpec = (objects: Manifest[], name = 'web') => template(objects, name).spec;
const main = (objects: Manifest[], name = 'web') => podSpec(objects, name).containers[0];

const HARDENED_CONTAINER = {
  allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
};

describe('command and args', () => {
  test('replace the image entrypoint and CMD of the main container', () => {
    // GIVEN / WHEN
    const objects = synthApp({ command: ['/app/server'], args: ['--port=8080', ''] });
    // THEN
    expect(main(objects).command).toEqual(['/app/server']);
    expect(main(objects).args).toEqual(['--port=8080', '']);
  });

  test('are absent by default', () => {
    const container = main(synthApp());
    expect('command' in container).toBe(false);
    expect('args' in container).toBe(false);
  });

  test('fails when command is empty or not a list of strings', () => {
    expect(() => webApp({ command: [] })).toThrow(/^test\/web: invalid command \[\]: must not be empty/);
    expect(() => webApp({ command: 'run' as any })).toThrow(/^test\/web: invalid command "run": must be a list \(each a string\)/);
    expect(() => webApp({ args: [1] as any })).toThrow(/^test\/web: invalid args\[0\] 1: must be a string/);
  });
});

describe('port protocols follow the port name, as Istio reads it', () => {
  test('https and tls ports get no appProtocol (Istio reads the name), grpc-* gRPC, others HTTP', () => {
    // on main before this change the README's https sidecar port was written with appProtocol: http
    const objects = synthApp({
      ports: [{ name: 'grpc-api', port: 9000 }, { name: 'metrics', port: 9090 }],
      sidecars: [{ name: 'tls-proxy', image: SIDECAR_IMAGE, ports: [{ name: 'https', port: 8443 }, { name: 'tls-peer', port: 8444 }] }],
    });
    expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => [p.name, p.appProtocol])).toEqual([
      ['http', 'http'], ['grpc-api', 'grpc'], ['metrics', 'http'], ['https', undefined], ['tls-peer', undefined],
    ]);
    // AND a protocol given wins over the name
    expect(findObject(synthApp({ ports: [{ name: 'https-metrics', port: 9443, appProtocol: 'http' }] }), 'Service', 'web').spec.ports[1].appProtocol).toEqual('http');
  });
});

describe('extra ports', () => {
  // GIVEN a WebApp with a metrics port, a gRPC port and an internal-only admin port
  const ports = [
    { name: 'metrics', port: 9090 },
    { name: 'grpc-api', port: 9000, appProtocol: 'grpc' as const },
    { name: 'admin', port: 9901, expose: false },
  ];
  const objects = synthApp({ ports });

  test('are declared on the main container after the main port', () => {
    expect(main(objects).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'grpc-api', containerPort: 9000, protocol: 'TCP' },
      { name: 'admin', containerPort: 9901, protocol: 'TCP' },
    ]);
  });

  test('are exposed on the Service by name with their appProtocol, except expose: false', () => {
    expect(findObject(objects, 'Service', 'web').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' },
      { name: 'grpc-api', port: 9000, targetPort: 'grpc-api', protocol: 'TCP', appProtocol: 'grpc' },
    ]);
  });

  test('are listed in containerPorts and portNames', () => {
    const web = webApp({ ports });
    expect(web.containerPorts).toEqual([8080, 9090, 9000, 9901]);
    expect(web.portNames).toEqual({ 'http': 8080, 'metrics': 9090, 'grpc-api': 9000, 'admin': 9901 });
  });

  test('a tcp port gets no appProtocol on the Service', () => {
    const service = findObject(synthApp({ ports: [{ name: 'redis', port: 6379, appProtocol: 'tcp' }] }), 'Service', 'web');
    expect(service.spec.ports[1]).toEqual({ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' });
  });

  test('fails at synth when a patch removes a sidecar port the Service targets', () => {
    // GIVEN a sidecar port exposed on the Service
    const chart = chartIn();
    const web = webApp({ sidecars: [{ name: 'proxy', image: SIDECAR_IMAGE, ports: [{ name: 'https', port: 8443 }] }] }, chart);
    // WHEN a patch drops it from the sidecar
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.remove('/spec/template/spec/containers/1/ports'));
    // THEN the construct's own wiring check reports it
    expect(() => Testing.synth(chart)).toThrow(/test\/web: Service web port "https" targets "https", which no container of Deployment web exposes/);
  });

  test('a probe may name a declared port', () => {
    const container = main(synthApp({ ports, probes: { readiness: { path: '/ready', port: 'admin' }, liveness: { port: 'metrics' } } }));
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 9901 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 9090 });
  });

  test('allow() opens a named extra port', () => {
    // GIVEN
    const chart = chartIn();
    const web = webApp({ ports }, chart);
    const scraper = new WebApp(chart, 'scraper', { image: IMAGE });
    // WHEN
    new NetworkPolicyBundle(chart, 'net').allow(scraper, web, 'metrics').allow(scraper, web, 9901);
    // THEN
    const synthesised = synthValid(chart);
    expect(findObject(synthesised, 'NetworkPolicy', 'web-from-scraper').spec.ingress[0].ports).toEqual([
      { port: 9090, protocol: 'TCP' }, { port: 9901, protocol: 'TCP' },
    ]);
  });

  test('fails when allow() names an undeclared port or an undeclared number', () => {
    const chart = chartIn();
    const web = webApp({ ports }, chart);
    const scraper = new WebApp(chart, 'scraper', { image: IMAGE });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => bundle.allow(scraper, web, 'debug')).toThrow(
      /^test\/net: invalid allow.port "debug": test\/web \("web"\) declares no port named "debug"; its named ports are "http" \(8080\), "metrics" \(9090\), "grpc-api" \(9000\), "admin" \(9901\)$/);
    expect(() => bundle.allow(scraper, web, 9999)).toThrow(/^test\/net: invalid allow.port 9999: test\/web \("web"\) does not listen on container port 9999/);
  });

  test('fails when a name or number is used twice, including the main port', () => {
    expect(() => webApp({ ports: [{ name: 'http', port: 9090 }] })).toThrow(
      /^test\/web: invalid ports\[0\].name "http": is already the name of port 8080 of container "web"; port names must be unique in the pod$/);
    expect(() => webApp({ ports: [{ name: 'metrics', port: 8080 }] })).toThrow(/^test\/web: invalid ports\[0\].port 8080: is already port "http" of container "web"/);
    expect(() => webApp({ ports: [{ name: 'a1', port: 9000 }, { name: 'a1', port: 9001 }] })).toThrow(/invalid ports\[1\].name "a1": is already the name of port 9000/);
    expect(() => webApp({ ports: [{ name: 'a1', port: 9000 }, { name: 'a2', port: 9000 }] })).toThrow(/invalid ports\[1\].port 9000: is already port "a1"/);
  });

  test('fails when an exposed port takes the main Service port number', () => {
    expect(() => webApp({ servicePort: 80, ports: [{ name: 'web80', port: 80 }] })).toThrow(
      /^test\/web: invalid ports\[0\].port 80: is already the Service port of port; give it another number or set expose: false$/);
    expect(() => webApp({ servicePort: 80, ports: [{ name: 'web80', port: 80, expose: false }] })).not.toThrow();
  });

  test.each([
    ['metrics-endpoint', 'must be 1 to 15 characters'],
    ['Metrics', 'must consist of lowercase letters'],
    ['9090', 'must contain at least one letter'],
    ['a--b', 'must not contain \'--\''],
    ['-admin', 'must not start or end with \'-\''],
    ['', 'must be 1 to 15 characters'],
  ])('fails when the port name is %j', (name, reason) => {
    expect(() => webApp({ ports: [{ name, port: 9090 }] })).toThrow(`test/web: invalid ports[0].name ${JSON.stringify(name)}: ${reason}`);
  });

  test('fails when a probe names an undeclared port', () => {
    expect(() => webApp({ probes: { readiness: { port: 'admin' } } })).toThrow(
      /^test\/web: invalid probes.readiness.port "admin": names no declared port; the ports are "http" \(8080\), or give a port number$/);
  });

  test('fails on a wrong-typed entry instead of crashing', () => {
    expect(() => webApp({ ports: {} as any })).toThrow(/^test\/web: invalid ports \{\}: must be a list/);
    expect(() => webApp({ ports: [null as any] })).toThrow(/^test\/web: invalid ports\[0\] null: must be an object \{ name, port/);
    expect(() => webApp({ ports: [{ name: 'm', port: '9090' as any }] })).toThrow(/invalid ports\[0\].port "9090": must be a number/);
    expect(() => webApp({ ports: [{ name: 'm', port: 9090, appProtocol: 'udp' as any }] })).toThrow(/invalid ports\[0\].appProtocol "udp"/);
    expect(() => webApp({ ports: [{ name: 'm', port: 9090, expose: 'yes' as any }] })).toThrow(/invalid ports\[0\].expose "yes": must be true or false/);
  });
});

describe('envFrom', () => {
  test('reads Secrets and ConfigMaps after config\'s ConfigMap, with prefixes', () => {
    const objects = synthApp({ config: { LOG_LEVEL: 'info' }, envFrom: [{ secret: 'api-db', prefix: 'DB_' }, { configMap: 'shared' }] });
    expect(main(objects).envFrom).toEqual([
      { configMapRef: { name: 'web-config' } },
      { prefix: 'DB_', secretRef: { name: 'api-db' } },
      { configMapRef: { name: 'shared' } },
    ]);
  });

  test('fails when an entry gives both or neither source, a bad prefix, or repeats', () => {
    expect(() => webApp({ envFrom: [{ secret: 'a', configMap: 'b' }] })).toThrow(/^test\/web: invalid envFrom\[0\] \{"secret":"a","configMap":"b"\}: must give exactly one of secret or configMap/);
    expect(() => webApp({ envFrom: [{ prefix: 'X_' }] })).toThrow(/invalid envFrom\[0\] \{"prefix":"X_"\}: must give exactly one/);
    expect(() => webApp({ envFrom: [{ secret: 'a', prefix: '1X' }] })).toThrow(/invalid envFrom\[0\].prefix "1X"/);
    expect(() => webApp({ envFrom: [{ secret: 'a' }, { secret: 'a' }] })).toThrow(/invalid envFrom\[1\] \{"secret":"a"\}: is listed twice/);
    expect(() => webApp({ envFrom: [{ secret: 'Bad_Name' }] })).toThrow(/invalid envFrom\[0\].secret "Bad_Name": must be a DNS-1123 subdomain/);
  });
});

describe('volumes', () => {
  // GIVEN one volume of each source
  const objects = synthApp({
    volumes: {
      certs: { mountPath: '/etc/certs', secret: 'web-tls' },
      settings: { mountPath: '/etc/web/settings.yaml', configMap: 'web-settings', subPath: 'settings.yaml' },
      data: { mountPath: '/data', claim: 'web-data', readOnly: false },
      cache: { mountPath: '/var/cache/web', emptyDir: { sizeLimit: '1Gi' } },
      shm: { mountPath: '/dev/shm', emptyDir: { memory: true, sizeLimit: '64Mi' }, readOnly: true },
    },
  });

  test('are pod volumes after the writable paths', () => {
    expect(podSpec(objects).volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'certs', secret: { secretName: 'web-tls' } },
      { name: 'settings', configMap: { name: 'web-settings' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'cache', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
  });

  test('are mounted read-only unless readOnly: false, an emptyDir writable unless readOnly: true', () => {
    expect(main(objects).volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'certs', mountPath: '/etc/certs', readOnly: true },
      { name: 'settings', mountPath: '/etc/web/settings.yaml', subPath: 'settings.yaml', readOnly: true },
      { name: 'data', mountPath: '/data' },
      { name: 'cache', mountPath: '/var/cache/web' },
      { name: 'shm', mountPath: '/dev/shm', readOnly: true },
    ]);
  });

  test('fails when a volume has zero or two sources', () => {
    expect(() => webApp({ volumes: { certs: { mountPath: '/etc/certs' } } })).toThrow(
      /^test\/web: invalid volumes.certs \{"mountPath":"\/etc\/certs"\}: must give exactly one source \(secret, configMap, claim or emptyDir\), got none$/);
    expect(() => webApp({ volumes: { certs: { mountPath: '/etc/certs', secret: 'a', configMap: 'b' } } })).toThrow(
      /invalid volumes.certs .*: must give exactly one source \(secret, configMap, claim or emptyDir\), got secret and configMap$/);
  });

  test('fails when two mounts share a path, including writablePaths and files', () => {
    expect(() => webApp({ volumes: { a: { mountPath: '/etc/a', secret: 'a' }, b: { mountPath: '/etc/a/', configMap: 'b' } } })).toThrow(
      /^test\/web: invalid volumes.b.mountPath "\/etc\/a": is already mounted by volumes.a.mountPath/);
    expect(() => webApp({ volumes: { scratch: { mountPath: '/tmp', emptyDir: {} } } })).toThrow(
      /^test\/web: invalid volumes.scratch.mountPath "\/tmp": is already mounted by writablePaths/);
    expect(() => webApp({ files: { '/etc/app.yaml': 'a', '/etc//app.yaml': 'b' } })).toThrow(/invalid files\["\/etc\/app.yaml"\] "\/etc\/app.yaml": is already mounted by files\["\/etc\/app.yaml"\]/);
    expect(() => webApp({ writablePaths: ['/var//cache'], volumes: { c: { mountPath: '/var/cache/', emptyDir: {} } } })).toThrow(/invalid volumes.c.mountPath "\/var\/cache": is already mounted by writablePaths/);
    expect(() => webApp({ volumes: { c: { mountPath: '/etc/app.yaml', configMap: 'c' } }, files: { '/etc/app.yaml': 'a: 1' } })).toThrow(
      /invalid files\["\/etc\/app.yaml"\] "\/etc\/app.yaml": is already mounted by volumes.c.mountPath/);
  });

  test('fails when a volume takes the name of a library volume', () => {
    expect(() => webApp({ volumes: { tmp: { mountPath: '/scratch', emptyDir: {} } } })).toThrow(
      /^test\/web: invalid volumes.tmp "tmp": the volume name is taken by the emptyDir of writablePaths "\/tmp"; give the volume another name$/);
    expect(() => webApp({ files: { '/a': 'x' }, volumes: { files: { mountPath: '/b', secret: 'b' } } })).toThrow(/invalid volumes.files "files": the volume name is taken by the volume of files/);
  });

  test('fails on bad names, paths, sizes and wrong types', () => {
    expect(() => webApp({ volumes: { Certs: { mountPath: '/c', secret: 'a' } } })).toThrow(/invalid volumes.Certs "Certs": must be a DNS-1123 label/);
    expect(() => webApp({ volumes: { c: { mountPath: 'etc', secret: 'a' } } })).toThrow(/invalid volumes.c.mountPath "etc": must be an absolute path/);
    expect(() => webApp({ volumes: { c: { mountPath: '/c', secret: 'a', subPath: '../x' } } })).toThrow(/invalid volumes.c.subPath "..\/x": must be a relative path/);
    expect(() => webApp({ volumes: { c: { mountPath: '/c', emptyDir: { sizeLimit: 'big' } } } })).toThrow(/invalid volumes.c.emptyDir.sizeLimit "big"/);
    expect(() => webApp({ volumes: { c: { mountPath: '/c', emptyDir: 'yes' as any } } })).toThrow(/invalid volumes.c.emptyDir "yes": must be an object/);
    expect(() => webApp({ volumes: { c: 'x' as any } })).toThrow(/invalid volumes.c "x": must be an object/);
    expect(() => webApp({ volumes: [] as any })).toThrow(/invalid volumes \[\]: must be an object/);
  });
});

describe('files', () => {
  const files = { '/etc/web/app.yaml': 'level: info\n', '/etc/nginx/conf.d/default.conf': 'server {}\n' };
  const objects = synthApp({ files });

  test('are written to the ConfigMap <name>-files, one key per file', () => {
    expect(findObject(objects, 'ConfigMap', 'web-files').data).toEqual({
      'etc_nginx_conf.d_default.conf': 'server {}\n',
      'etc_web_app.yaml': 'level: info\n',
    });
  });

  test('are mounted read-only file by file, leaving the rest of each folder as the image has it', () => {
    expect(podSpec(objects).volumes).toContainEqual({ name: 'files', configMap: { name: 'web-files' } });
    expect(main(objects).volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'files', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'etc_nginx_conf.d_default.conf', readOnly: true },
      { name: 'files', mountPath: '/etc/web/app.yaml', subPath: 'etc_web_app.yaml', readOnly: true },
    ]);
  });

  test('roll the pods by a content checksum that changes with any file', () => {
    const checksum = (o: Manifest[]) => template(o).metadata.annotations['checksum/files'];
    expect(checksum(objects)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(synthApp({ files }))).toBe(checksum(objects));
    expect(checksum(synthApp({ files: { ...files, '/etc/web/app.yaml': 'level: debug\n' } }))).not.toBe(checksum(objects));
  });

  test('fail on relative or folder paths, non-string content, and more than a ConfigMap holds', () => {
    expect(() => webApp({ files: { 'app.yaml': 'x' } })).toThrow(/^test\/web: invalid files\["app.yaml"\] "app.yaml": must be an absolute path/);
    expect(() => webApp({ files: { '/etc/app/': 'x' } })).toThrow(/invalid files\["\/etc\/app\/"\] "\/etc\/app\/": must be the path of a file/);
    expect(() => webApp({ files: { '/a': 1 as any } })).toThrow(/invalid files\["\/a"\] 1: must be a string/);
    expect(() => webApp({ files: { '/a': 'x'.repeat(600000), '/b': 'y'.repeat(600000) } })).toThrow(/invalid files "1200000 bytes": must hold at most 1000000 bytes/);
  });
});

describe('initContainers and sidecars', () => {
  // GIVEN a migration init container and a proxy sidecar sharing a volume
  const props: Partial<WebAppProps> = {
    volumes: { certs: { mountPath: '/etc/certs', secret: 'web-tls' } },
    initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', command: ['/migrate'], args: ['up'], secretEnv: { DB: { secret: 'db', key: 'url' } } }],
    sidecars: [{
      name: 'proxy',
      image: SIDECAR_IMAGE,
      env: { UPSTREAM: 'http://localhost:8080' },
      resources: { memory: { request: '64Mi' } },
      ports: [{ name: 'https', port: 8443 }, { name: 'proxy-admin', port: 15000, expose: false }],
      mounts: ['certs'],
    }],
  };
  const objects = synthApp(props);

  test('get the main container\'s hardening and resource defaults', () => {
    const [init] = podSpec(objects).initContainers;
    const sidecar = podSpec(objects).containers[1];
    expect(init).toEqual({
      name: 'migrate',
      image: 'ghcr.io/acme/migrate:1.0.0',
      command: ['/migrate'],
      args: ['up'],
      env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }],
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      securityContext: HARDENED_CONTAINER,
    });
    expect(sidecar).toEqual({
      name: 'proxy',
      image: SIDECAR_IMAGE,
      env: [{ name: 'UPSTREAM', value: 'http://localhost:8080' }],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }, { name: 'proxy-admin', containerPort: 15000, protocol: 'TCP' }],
      volumeMounts: [{ name: 'certs', mountPath: '/etc/certs', readOnly: true }],
      securityContext: HARDENED_CONTAINER,
    });
  });

  test('a sidecar\'s ports are exposed on the Service and open to allow()', () => {
    expect(findObject(objects, 'Service', 'web').spec.ports.map((p: any) => p.name)).toEqual(['http', 'https']);
    const chart = chartIn();
    const web = webApp(props, chart);
    const client = new WebApp(chart, 'client', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net').allow(client, web, 'https');
    expect(findObject(synthValid(chart), 'NetworkPolicy', 'web-from-client').spec.ingress[0].ports).toEqual([{ port: 8443, protocol: 'TCP' }]);
  });

  test('follow readOnlyRootFilesystem: false like the main container', () => {
    const spec = podSpec(synthApp({ ...props, readOnlyRootFilesystem: false }, { skipHardening: ['readOnlyRootFilesystem'] }));
    expect(spec.initContainers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(spec.containers[1].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  test('fail when named like the main container or each other', () => {
    expect(() => webApp({ sidecars: [{ name: 'web', image: SIDECAR_IMAGE }] })).toThrow(
      /^test\/web: invalid sidecars\[0\].name "web": is already the name of the main container \(named like the workload\); container names must be unique in the pod$/);
    expect(() => webApp({ initContainers: [{ name: 'x', image: SIDECAR_IMAGE }], sidecars: [{ name: 'x', image: SIDECAR_IMAGE }] })).toThrow(
      /^test\/web: invalid sidecars\[0\].name "x": is already the name of initContainers\[0\]/);
  });

  test('fail with the main container\'s validation: unpinned image, bad env and resources', () => {
    expect(() => webApp({ sidecars: [{ name: 'p', image: 'envoy:latest' }] })).toThrow(/^test\/web: invalid sidecars\[0\].image "envoy:latest": the tag "latest" names the channel/);
    expect(() => webApp({ initContainers: [{ name: 'p', image: 'busybox:stable' }] })).toThrow(/invalid initContainers\[0\].image "busybox:stable": the tag "stable" names the channel/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: 'redis:alpine' }] })).toThrow(/invalid sidecars\[0\].image "redis:alpine": the tag "alpine" has no version number/);
    expect(() => webApp({ initContainers: [{ name: 'p', image: 'busybox' }] })).toThrow(/invalid initContainers\[0\].image "busybox": the image is not pinned/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: SIDECAR_IMAGE, env: { '1A': 'x' } }] })).toThrow(/invalid sidecars\[0\].env.1A "1A"/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: SIDECAR_IMAGE, resources: { memory: { request: '1Gi', limit: '1Mi' } } }] })).toThrow(
      /invalid sidecars\[0\].resources.memory.limit "1Mi": must not be below the request/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: SIDECAR_IMAGE, ports: [{ name: 'http', port: 9000 }] }] })).toThrow(
      /invalid sidecars\[0\].ports\[0\].name "http": is already the name of port 8080 of container "web"/);
  });

  test('may mount the emptyDir of a writable path, shared with the main container', () => {
    const spec = podSpec(synthApp({ writablePaths: ['/tmp', '/var/cache'], sidecars: [{ name: 'p', image: SIDECAR_IMAGE, mounts: ['var-cache', 'tmp'] }] }));
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'var-cache', mountPath: '/var/cache' }, { name: 'tmp', mountPath: '/tmp' }]);
  });

  test('fail when a mount names an undeclared volume, or an init container declares ports', () => {
    expect(() => webApp({ writablePaths: [], sidecars: [{ name: 'p', image: SIDECAR_IMAGE, mounts: ['certs'] }] })).toThrow(
      /^test\/web: invalid sidecars\[0\].mounts\[0\] "certs": names no volume of the workload \(declared: none\); declare it in volumes first$/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: SIDECAR_IMAGE, mounts: ['certs'] }] })).toThrow(/mounts\[0\] "certs": names no volume of the workload \(declared: "tmp"\)/);
    expect(() => webApp({ initContainers: [{ name: 'p', image: SIDECAR_IMAGE, ports: [{ name: 'x', port: 1 }] }] })).toThrow(
      /invalid initContainers\[0\].ports .*: init containers run to completion/);
  });

  test('fail on a wrong-typed list or entry instead of crashing', () => {
    expect(() => webApp({ sidecars: {} as any })).toThrow(/^test\/web: invalid sidecars \{\}: must be a list/);
    expect(() => webApp({ initContainers: ['x'] as any })).toThrow(/^test\/web: invalid initContainers\[0\] "x": must be an object \{ name, image/);
    expect(() => webApp({ sidecars: [{ name: 'p', image: SIDECAR_IMAGE, mounts: 'certs' as any }] })).toThrow(/invalid sidecars\[0\].mounts "certs": must be a list/);
  });
});

describe('scheduling', () => {
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In' as const, values: ['arm64'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'node.example.com/cores', operator: 'Gt' as const, values: ['8'] }] } }],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache' } } },
      }],
    },
  };
  const objects = synthApp({
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }],
    affinity,
    priorityClassName: 'high-priority',
    imagePullSecrets: ['ghcr-pull'],
  });

  test('are written to the pod spec', () => {
    const spec = podSpec(objects);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
      { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
    expect(spec.affinity).toEqual(affinity);
    expect(spec.priorityClassName).toBe('high-priority');
    expect(spec.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
  });

  test('fail on an unknown toleration operator or effect', () => {
    expect(() => webApp({ tolerations: [{ key: 'a', operator: 'Matches' as any }] })).toThrow(/^test\/web: invalid tolerations\[0\].operator "Matches": must be "Equal" or "Exists"$/);
    expect(() => webApp({ tolerations: [{ key: 'a', effect: 'NoRun' as any }] })).toThrow(/^test\/web: invalid tolerations\[0\].effect "NoRun": must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"/);
    expect(() => webApp({ tolerations: [{ value: 'x' }] })).toThrow(/invalid tolerations\[0\].operator "Equal": must be "Exists" when no key is given/);
    expect(() => webApp({ tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] })).toThrow(/invalid tolerations\[0\].value "x": must be left out with operator "Exists"/);
    expect(() => webApp({ tolerations: [{ key: 'a', tolerationSeconds: 5 }] })).toThrow(/invalid tolerations\[0\].tolerationSeconds 5: applies only with effect "NoExecute"/);
    expect(() => webApp({ tolerations: [{ key: 'a', colour: 'x' } as any] })).toThrow(/invalid tolerations\[0\].colour "x": is not a known option/);
  });

  test('fail on a malformed affinity', () => {
    expect(() => webApp({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })).toThrow(
      /invalid affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms \[\]: must be a non-empty list/);
    expect(() => webApp({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } } } })).toThrow(
      /invalid affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms\[0\].matchExpressions\[0\].values undefined: must be a non-empty list with operator "In"/);
    expect(() => webApp({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: { topologyKey: 'zone' } }] } } })).toThrow(
      /invalid affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution\[0\].weight 0: must be an integer between 1 and 100/);
    expect(() => webApp({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] } } })).toThrow(
      /invalid affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution\[0\].topologyKey ""/);
    expect(() => webApp({ affinity: { nodeAfinity: {} } as any })).toThrow(/invalid affinity.nodeAfinity \{\}: is not a known option \(did you mean "nodeAffinity"\?\)/);
  });

  test('fail on bad nodeSelector, priorityClassName and imagePullSecrets', () => {
    expect(() => webApp({ nodeSelector: { 'kubernetes.io/os': 'linux os' } })).toThrow(/invalid nodeSelector.kubernetes.io\/os "linux os": must be a label value/);
    expect(() => webApp({ priorityClassName: 'High' })).toThrow(/invalid priorityClassName "High"/);
    expect(() => webApp({ imagePullSecrets: ['a', 'a'] })).toThrow(/invalid imagePullSecrets\[1\] "a": is listed twice/);
    expect(() => webApp({ imagePullSecrets: 'a' as any })).toThrow(/invalid imagePullSecrets "a": must be a list/);
  });
});

describe('podAnnotations and podLabels', () => {
  const objects = synthApp({ podAnnotations: { 'vault.hashicorp.com/agent-inject': 'true' }, podLabels: { 'team': 'checkout', 'example.com/tier': 'frontend' }, config: { A: 'b' } });

  test('are written on the pod template only, beside the library\'s labels and checksum', () => {
    const deployment = findObject(objects, 'Deployment', 'web');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'vault.hashicorp.com/agent-inject': 'true', 'checksum/config': expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'team': 'checkout', 'example.com/tier': 'frontend', 'app.kubernetes.io/name': 'web' });
    expect(deployment.metadata.labels.team).toBeUndefined();
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' });
  });

  test('fail when a pod label would change the selector or a library label', () => {
    expect(() => webApp({ podLabels: { 'app.kubernetes.io/name': 'other' } })).toThrow(
      /^test\/web: invalid podLabels.app.kubernetes.io\/name "other": app.kubernetes.io\/name is written by the library and selects the pods/);
    expect(() => webApp({ podLabels: { 'app.kubernetes.io/version': '2' } })).toThrow(/invalid podLabels.app.kubernetes.io\/version "2"/);
    expect(() => webApp({ podLabels: { 'cloudnative-constructs.io/track': 'canary' } })).toThrow(/invalid podLabels.cloudnative-constructs.io\/track "canary"/);
  });

  test('fail on bad keys, values and the library\'s checksum annotations', () => {
    expect(() => webApp({ podLabels: { 'a b': 'x' } })).toThrow(/invalid podLabels.a b "a b": must be a label or annotation key/);
    expect(() => webApp({ podAnnotations: { a: 1 as any } })).toThrow(/invalid podAnnotations.a 1: must be a string/);
    expect(() => webApp({ podAnnotations: { 'checksum/files': 'x' } })).toThrow(/invalid podAnnotations.checksum\/files "x": checksum\/files is the library's content checksum/);
  });
});

describe('terminationGracePeriodSeconds and preStop', () => {
  test('preStop sleepSeconds runs sleep before SIGTERM, within the grace period', () => {
    const objects = synthApp({ preStop: { sleepSeconds: 5 }, terminationGracePeriodSeconds: 45 });
    expect(main(objects).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    expect(podSpec(objects).terminationGracePeriodSeconds).toBe(45);
  });

  test('preStop command runs the command; nothing is written by default', () => {
    expect(main(synthApp({ preStop: { command: ['/app/drain'] } })).lifecycle).toEqual({ preStop: { exec: { command: ['/app/drain'] } } });
    const objects = synthApp();
    expect(main(objects).lifecycle).toBeUndefined();
    expect(podSpec(objects).terminationGracePeriodSeconds).toBeUndefined();
  });

  test('fails when the grace period does not exceed the sleep', () => {
    expect(() => webApp({ preStop: { sleepSeconds: 30 } })).toThrow(
      /^test\/web: invalid terminationGracePeriodSeconds 30: must exceed preStop.sleepSeconds \(30\) .*\(30 is the Kubernetes default\); raise it to at least 40$/);
    expect(() => webApp({ preStop: { sleepSeconds: 10 }, terminationGracePeriodSeconds: 10 })).toThrow(/invalid terminationGracePeriodSeconds 10: must exceed preStop.sleepSeconds \(10\)/);
  });

  test('fails on malformed values', () => {
    expect(() => webApp({ preStop: { sleepSeconds: 0 } })).toThrow(/invalid preStop.sleepSeconds 0: must be an integer between 1 and 3600/);
    expect(() => webApp({ preStop: { sleepSeconds: 5, command: ['x'] } as any })).toThrow(/invalid preStop .*: must be an object \{ sleepSeconds \} or an object \{ command \}/);
    expect(() => webApp({ preStop: { command: [] } })).toThrow(/invalid preStop.command \[\]: must be a non-empty list of strings/);
    expect(() => webApp({ preStop: 5 as any })).toThrow(/invalid preStop 5: must be an object/);
    expect(() => webApp({ terminationGracePeriodSeconds: -1 })).toThrow(/invalid terminationGracePeriodSeconds -1/);
  });
});

describe('CanaryRelease: the top-level options apply to both tracks', () => {
  // GIVEN a release with every kind of option at the top level and a per-track override
  const objects = synthRelease({
    command: ['/api'],
    ports: [{ name: 'metrics', port: 9090 }],
    probes: { readiness: { path: '/ready', port: 'metrics' } },
    envFrom: [{ secret: 'api-db' }],
    volumes: { certs: { mountPath: '/etc/certs', secret: 'api-tls' } },
    files: { '/etc/api/app.yaml': 'a: 1' },
    sidecars: [{ name: 'proxy', image: SIDECAR_IMAGE, ports: [{ name: 'https', port: 8443 }], mounts: ['certs'] }],
    initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Exists' }],
    priorityClassName: 'high',
    imagePullSecrets: ['pull'],
    podAnnotations: { 'example.com/owner': 'payments' },
    podLabels: { team: 'payments' },
    terminationGracePeriodSeconds: 40,
    preStop: { sleepSeconds: 10 },
    stable: { image: 'ghcr.io/acme/api:2.0.0', env: { MODE: 'stable' } },
    canary: { image: 'ghcr.io/acme/api:2.1.0', replicas: 2, resources: { memory: { request: '512Mi' } } },
  });

  test('each track\'s pod template carries the same pod options', () => {
    const stable = template(objects, 'api-stable');
    const canary = template(objects, 'api-canary');
    for (const t of [stable, canary]) {
      expect(t.spec.containers.map((c: any) => c.name)).toEqual(['api', 'proxy']);
      expect(t.spec.initContainers.map((c: any) => c.name)).toEqual(['migrate']);
      expect(t.spec.containers[0].command).toEqual(['/api']);
      expect(t.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 9090 });
      expect(t.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'api-db' } }]);
      expect(t.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
      expect(t.spec.volumes.map((v: any) => v.name)).toEqual(['tmp', 'certs', 'files']);
      expect(t.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
      expect(t.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists' }]);
      expect(t.spec.priorityClassName).toBe('high');
      expect(t.spec.imagePullSecrets).toEqual([{ name: 'pull' }]);
      expect(t.spec.terminationGracePeriodSeconds).toBe(40);
      expect(t.metadata.labels.team).toBe('payments');
      expect(t.metadata.annotations['example.com/owner']).toBe('payments');
    }
    expect(stable.metadata.annotations['checksum/files']).toBe(canary.metadata.annotations['checksum/files']);
  });

  test('a track overrides only image, replicas, env and resources', () => {
    expect(template(objects, 'api-stable').spec.containers[0].env).toEqual([{ name: 'MODE', value: 'stable' }]);
    expect(template(objects, 'api-canary').spec.containers[0].env).toBeUndefined();
    expect(template(objects, 'api-canary').spec.containers[0].resources.requests.memory).toBe('512Mi');
    expect(template(objects, 'api-stable').spec.containers[0].resources.requests.memory).toBe('256Mi');
  });

  test('one files ConfigMap serves both tracks, and the Service exposes every exposed port', () => {
    expect(objects.filter(o => o.kind === 'ConfigMap').map(o => o.metadata.name)).toEqual(['api-files']);
    expect(findObject(objects, 'Service', 'api').spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['http:8080', 'metrics:9090', 'https:8443']);
  });

  test('allow() reaches a named port of the release and of a track', () => {
    const chart = chartIn();
    const api = new CanaryRelease(chart, 'api', {
      stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, ports: [{ name: 'metrics', port: 9090 }],
    });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net').allow(web, api, 'metrics').allow(web, api.canary, 'metrics');
    const objects2 = synthValid(chart);
    expect(findObject(objects2, 'NetworkPolicy', 'api-from-web').spec.ingress[0].ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
    expect(findObject(objects2, 'NetworkPolicy', 'api-canary-from-web').spec.ingress[0].ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
    expect(() => new NetworkPolicyBundle(chart, 'net2').allow(web, api.stable, 'admin')).toThrow(/invalid allow.port "admin": test\/api\/stable \("api-stable"\) declares no port named "admin"/);
  });

  test('fails when a track sets an option only the release takes', () => {
    expect(() => synthRelease({ canary: { image: 'ghcr.io/acme/api:2.1.0', ports: [{ name: 'debug', port: 9999 }] } as any })).toThrow(
      /^test\/api: invalid canary.ports \[\{"name":"debug","port":9999\}\]: is not a known option; allowed: image, replicas, env, resources; ports is an option of the top level$/);
  });

  test('fails on bad options with the release\'s path', () => {
    expect(() => synthRelease({ sidecars: [{ name: 'api', image: SIDECAR_IMAGE }] })).toThrow(/^test\/api: invalid sidecars\[0\].name "api": is already the name of the main container/);
    expect(() => synthRelease({ podLabels: { 'cloudnative-constructs.io/track': 'x' } })).toThrow(/^test\/api: invalid podLabels.cloudnative-constructs.io\/track "x"/);
  });
});

describe('resolveWorkloadOptions for other pod controllers', () => {
  // GIVEN a controller that mounts its own volume "data" at /var/lib/app (a StatefulSet's claim template)
  const extras = { reservedVolumes: new Map([['data', 'the claim template of storage']]), mountPaths: [{ path: '/var/lib/app', prop: 'storage.mountPath' }] };

  test('checks the user\'s volumes against the controller\'s', () => {
    expect(() => resolveWorkloadOptions(new Chart(Testing.app(), 'db'), { volumes: { data: { mountPath: '/x', emptyDir: {} } } }, extras)).toThrow(
      /^db: invalid volumes.data "data": the volume name is taken by the claim template of storage/);
    expect(() => resolveWorkloadOptions(new Chart(Testing.app(), 'db'), { volumes: { cache: { mountPath: '/var/lib/app', emptyDir: {} } } }, extras)).toThrow(
      /^db: invalid volumes.cache.mountPath "\/var\/lib\/app": is already mounted by storage.mountPath/);
    expect(resolveWorkloadOptions(new Chart(Testing.app(), 'db'), { volumes: { cache: { mountPath: '/cache', emptyDir: {} } } }, extras).volumes.length).toBe(1);
  });
});
