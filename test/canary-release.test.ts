import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { Autoscaled, CanaryRelease, CanaryReleaseProps, CanaryReleaseTrack, isNetworkPeer, isScalableWorkload, NetworkPolicyBundle, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const STABLE = 'ghcr.io/acme/api:2.0.0';
const CANARY = 'ghcr.io/acme/api:2.1.0';

function release(chart: Chart, props: Partial<CanaryReleaseProps> = {}, id = 'api'): CanaryRelease {
  return new CanaryRelease(chart, id, { stable: { image: STABLE }, canary: { image: CANARY }, canaryWeight: 10, ...props });
}

function synthRelease(props: Partial<CanaryReleaseProps> = {}): Manifest[] {
  const chart = chartIn();
  release(chart, props);
  return synthValid(chart);
}

const virtualService = (objects: Manifest[]) => findObject(objects, 'VirtualService', 'api').spec;
const destinationRule = (objects: Manifest[]) => findObject(objects, 'DestinationRule', 'api').spec;
const splitRoute = (objects: Manifest[]) => virtualService(objects).http.find((r: any) => r.name === 'split');
const container = (objects: Manifest[], track: string) => findObject(objects, 'Deployment', `api-${track}`).spec.template.spec.containers[0];

describe('CanaryRelease defaults', () => {
  // GIVEN a release with two images and a 10 % canary
  const objects = synthRelease();

  test('creates two Deployments, one Service, a DestinationRule and a VirtualService', () => {
    // THEN
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/api',
      'Deployment/api-stable', 'PodDisruptionBudget/api-stable',
      'Deployment/api-canary',
      'Service/api', 'DestinationRule/api', 'VirtualService/api',
    ]);
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('runs two stable pods and one canary pod; only the stable track gets a disruption budget', () => {
    expect(findObject(objects, 'Deployment', 'api-stable').spec.replicas).toEqual(2);
    expect(findObject(objects, 'Deployment', 'api-canary').spec.replicas).toEqual(1);
    expect(objects.some(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'api-canary')).toBe(false);
  });

  test('labels each track\'s pods with its version and track, and selects them by track', () => {
    const canary = findObject(objects, 'Deployment', 'api-canary');
    expect(canary.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/version': '2.1.0',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cloudnative-constructs',
      'cloudnative-constructs.io/track': 'canary',
    });
    expect(canary.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'cloudnative-constructs.io/track': 'canary',
    });
    expect(container(objects, 'stable').image).toEqual(STABLE);
    expect(container(objects, 'canary').image).toEqual(CANARY);
  });

  test('the Service selects both tracks by the labels they share', () => {
    expect(findObject(objects, 'Service', 'api').spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
  });

  test('the DestinationRule defines a subset per track, selected as the track\'s Deployment selects (by track, not by version)', () => {
    const selects = (track: string) => ({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'cloudnative-constructs.io/track': track });
    expect(destinationRule(objects)).toEqual({
      host: 'api',
      subsets: [{ name: 'stable', labels: selects('stable') }, { name: 'canary', labels: selects('canary') }],
    });
    for (const track of ['stable', 'canary']) {
      expect(findObject(objects, 'Deployment', `api-${track}`).spec.selector.matchLabels).toEqual(selects(track));
    }
  });

  test('the VirtualService splits 90 / 10 inside the mesh only', () => {
    expect(findObject(objects, 'VirtualService', 'api').apiVersion).toEqual('networking.istio.io/v1beta1');
    expect(virtualService(objects)).toEqual({
      hosts: ['api'],
      http: [{
        name: 'split',
        route: [
          { destination: { host: 'api', subset: 'stable' }, weight: 90 },
          { destination: { host: 'api', subset: 'canary' }, weight: 10 },
        ],
      }],
    });
  });

  test('builds each track\'s pods exactly like a WebApp\'s', () => {
    // GIVEN a WebApp with the stable image in another chart
    const chart = chartIn('other');
    new WebApp(chart, 'api', { image: STABLE });
    const webApp = findObject(synthValid(chart), 'Deployment', 'api').spec.template.spec;
    const stable = findObject(objects, 'Deployment', 'api-stable').spec.template.spec;
    // THEN only the spread selector (which adds the track) differs
    expect({ ...stable, topologySpreadConstraints: undefined }).toEqual({ ...webApp, topologySpreadConstraints: undefined });
  });
});

describe('CanaryRelease traffic split', () => {
  test('canaryWeight 0 sends everything to stable', () => {
    expect(splitRoute(synthRelease({ canaryWeight: 0 })).route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', 100], ['canary', 0]]);
  });

  test('canaryWeight 100 promotes the canary', () => {
    expect(splitRoute(synthRelease({ canaryWeight: 100 })).route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', 0], ['canary', 100]]);
  });

  test('exposes the weight', () => {
    expect(release(chartIn(), { canaryWeight: 25 }).canaryWeight).toEqual(25);
  });

  test('match.headers routes matching requests to the canary before the split', () => {
    // WHEN
    const http = virtualService(synthRelease({ canaryWeight: 0, match: { headers: { 'x-canary': 'always', 'x-user-group': 'beta' } } })).http;
    // THEN
    expect(http.map((r: any) => r.name)).toEqual(['canary-match', 'split']);
    expect(http[0]).toEqual({
      name: 'canary-match',
      match: [{ name: 'canary-headers', headers: { 'x-canary': { exact: 'always' }, 'x-user-group': { exact: 'beta' } } }],
      route: [{ destination: { host: 'api', subset: 'canary' } }],
    });
  });

  test('retries and timeout apply to every route', () => {
    const http = virtualService(synthRelease({
      match: { headers: { 'x-canary': 'always' } },
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx, connect-failure,503' },
      timeout: '10s',
    })).http;
    for (const route of http) {
      expect(route.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,connect-failure,503' });
      expect(route.timeout).toEqual('10s');
    }
  });

  test('durations accept cdk8s Duration, written in the largest whole unit', () => {
    const route = splitRoute(synthRelease({ retries: { attempts: 2, perTryTimeout: Duration.millis(500) }, timeout: Duration.minutes(1) }));
    expect(route.retries).toEqual({ attempts: 2, perTryTimeout: '500ms' });
    expect(route.timeout).toEqual('1m');
  });

  test('retries with 0 attempts turn retries off', () => {
    expect(splitRoute(synthRelease({ retries: { attempts: 0 } })).retries).toEqual({ attempts: 0 });
  });

  test('faultInjection injects delays and aborts', () => {
    const route = splitRoute(synthRelease({ faultInjection: { delay: { percent: 5, fixedDelay: '1m30s' }, abort: { percent: 0.5, httpStatus: 503 } } }));
    expect(route.fault).toEqual({
      delay: { percentage: { value: 5 }, fixedDelay: '1m30s' },
      abort: { percentage: { value: 0.5 }, httpStatus: 503 },
    });
  });

  test('mirror shadows a share of stable traffic to the canary', () => {
    const route = splitRoute(synthRelease({ canaryWeight: 0, mirror: { percent: 20 } }));
    expect(route.mirror).toEqual({ host: 'api', subset: 'canary' });
    expect(route.mirrorPercentage).toEqual({ value: 20 });
  });
});

describe('CanaryRelease circuit breaker', () => {
  test('maps to connectionPool and outlierDetection', () => {
    const spec = destinationRule(synthRelease({
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 10, consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: Duration.minutes(2), maxEjectionPercent: 50 },
    }));
    expect(spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 10 } },
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '2m', maxEjectionPercent: 50 },
    });
  });

  test('an empty circuit breaker turns on outlier detection with Istio\'s defaults, written out', () => {
    expect(destinationRule(synthRelease({ circuitBreaker: {} })).trafficPolicy).toEqual({
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 10 },
    });
  });
});

describe('CanaryRelease gateway', () => {
  // GIVEN a release exposed on a host
  const objects = synthRelease({ gateway: { hosts: ['api.example.com', '*.api.example.com'] } });

  test('serves HTTPS with the credential <name>-tls and redirects HTTP to HTTPS', () => {
    const gateway = findObject(objects, 'Gateway', 'api');
    expect(gateway.apiVersion).toEqual('networking.istio.io/v1beta1');
    expect(gateway.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 443, name: 'https-api', protocol: 'HTTPS' }, hosts: ['api.example.com', '*.api.example.com'], tls: { mode: 'SIMPLE', credentialName: 'api-tls' } },
        { port: { number: 80, name: 'http-api', protocol: 'HTTP' }, hosts: ['api.example.com', '*.api.example.com'], tls: { httpsRedirect: true } },
      ],
    });
  });

  test('binds the VirtualService to the gateway and the mesh', () => {
    expect(virtualService(objects).gateways).toEqual(['api', 'mesh']);
    expect(virtualService(objects).hosts).toEqual(['api', 'api.example.com', '*.api.example.com']);
  });

  test('tls.credentialName and selector are configurable', () => {
    const spec = findObject(synthRelease({ gateway: { hosts: ['api.example.com'], tls: { credentialName: 'api-cert' }, selector: { istio: 'public-gateway' } } }), 'Gateway', 'api').spec;
    expect(spec.selector).toEqual({ istio: 'public-gateway' });
    expect(spec.servers[0].tls).toEqual({ mode: 'SIMPLE', credentialName: 'api-cert' });
  });
});

describe('CanaryRelease tracks', () => {
  test('per-track env merges over the shared env, the track winning', () => {
    const objects = synthRelease({ env: { LOG_LEVEL: 'info', REGION: 'eu' }, canary: { image: CANARY, env: { LOG_LEVEL: 'debug' } } });
    expect(container(objects, 'stable').env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }, { name: 'REGION', value: 'eu' }]);
    expect(container(objects, 'canary').env).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'REGION', value: 'eu' }]);
  });

  test('per-track resources replace the shared ones resource by resource', () => {
    const objects = synthRelease({
      resources: { cpu: { request: '250m' }, memory: { request: '512Mi' } },
      canary: { image: CANARY, resources: { cpu: { request: '500m', limit: '1' } } },
    });
    expect(container(objects, 'stable').resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } });
    expect(container(objects, 'canary').resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  test('per-track replicas; a canary with two pods gets its own budget', () => {
    const objects = synthRelease({ stable: { image: STABLE, replicas: 4 }, canary: { image: CANARY, replicas: 2 } });
    expect(findObject(objects, 'Deployment', 'api-stable').spec.replicas).toEqual(4);
    expect(findObject(objects, 'Deployment', 'api-canary').spec.replicas).toEqual(2);
    expect(findObject(objects, 'PodDisruptionBudget', 'api-canary').spec.selector.matchLabels['cloudnative-constructs.io/track']).toEqual('canary');
  });

  test('shared options (port, probes, config) apply to both tracks', () => {
    const objects = synthRelease({ port: 9090, probes: { readiness: '/ready' }, config: { FEATURE: 'on' } });
    for (const track of ['stable', 'canary']) {
      const deployment = findObject(objects, 'Deployment', `api-${track}`);
      expect(deployment.spec.template.spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/ready', port: 9090 });
      expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'api-config' } }]);
      expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(findObject(objects, 'Service', 'api').spec.ports[0]).toEqual({ name: 'http', port: 9090, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' });
  });

  test('a digest-pinned canary is labelled with its digest prefix', () => {
    const objects = synthRelease({ canary: { image: `ghcr.io/acme/api@sha256:${'ab'.repeat(32)}` } });
    expect(findObject(objects, 'Deployment', 'api-canary').spec.template.metadata.labels['app.kubernetes.io/version']).toEqual('abababababab');
  });

  test('name overrides the id', () => {
    const chart = chartIn();
    release(chart, { name: 'orders' }, 'api');
    const objects = synthValid(chart);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/orders', 'Deployment/orders-stable', 'PodDisruptionBudget/orders-stable', 'Deployment/orders-canary',
      'Service/orders', 'DestinationRule/orders', 'VirtualService/orders',
    ]);
  });

  test('Autoscaled on release.canary omits its replicas and targets its Deployment', () => {
    // GIVEN
    const chart = chartIn();
    const api = release(chart);
    // WHEN
    new Autoscaled(chart, 'canary-scaling', { target: api.canary, maxReplicas: 4 });
    const objects = synthValid(chart);
    // THEN
    expect(findObject(objects, 'Deployment', 'api-canary').spec.replicas).toBeUndefined();
    expect(findObject(objects, 'Deployment', 'api-stable').spec.replicas).toEqual(2);
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'api-canary').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-canary' });
    expect(findObject(objects, 'PodDisruptionBudget', 'api-canary').spec).toEqual(expect.objectContaining({ maxUnavailable: 1 }));
    expect(api.canary.autoscaler?.node.id).toEqual('canary-scaling');
    expect(api.canary.minReplicas).toEqual(2);
  });

  test('Autoscaled on release.stable', () => {
    const chart = chartIn();
    const api = release(chart);
    new Autoscaled(chart, 'stable-scaling', { target: api.stable, minReplicas: 3, maxReplicas: 10 });
    const objects = synthValid(chart);
    expect(findObject(objects, 'Deployment', 'api-stable').spec.replicas).toBeUndefined();
    expect(findObject(objects, 'HorizontalPodAutoscaler', 'api-stable').spec.minReplicas).toEqual(3);
  });

  test('the release and its tracks are network peers; the release selects both tracks\' pods', () => {
    const api = release(chartIn());
    expect(isNetworkPeer(api)).toBe(true);
    expect(isNetworkPeer(api.canary)).toBe(true);
    expect(isScalableWorkload(api.canary)).toBe(true);
    expect(isScalableWorkload(api)).toBe(false);
    for (const track of [api.stable, api.canary]) {
      expect(track.podLabels).toEqual(expect.objectContaining(api.selector));
      expect(track.podLabels).toEqual(expect.objectContaining(track.selector));
    }
    expect(api.canary.podLabels).not.toEqual(expect.objectContaining(api.stable.selector));
    expect({ ns: api.namespace, sa: api.serviceAccountName, ports: api.containerPorts }).toEqual({ ns: 'shop', sa: 'api', ports: [8080] });
  });

  test('NetworkPolicyBundle.allow to a release admits both tracks; from a track, only its pods', () => {
    // GIVEN
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    const api = release(chart);
    // WHEN
    new NetworkPolicyBundle(chart, 'net').allow(web, api, 8080).allow(api.canary, web);
    const objects = synthValid(chart);
    // THEN
    expect(findObject(objects, 'NetworkPolicy', 'api-from-web').spec.podSelector).toEqual({ matchLabels: api.selector });
    expect(findObject(objects, 'NetworkPolicy', 'web-from-api-canary').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: api.canary.selector } }]);
    expect(api.canary.name).toEqual('api-canary');
    expect(api.canary.serviceName).toEqual('api');
  });

  test('durations accept Go units and fractions', () => {
    expect(splitRoute(synthRelease({ timeout: '1h' })).timeout).toEqual('1h');
    expect(splitRoute(synthRelease({ timeout: '1.5s' })).timeout).toEqual('1.5s');
    expect(splitRoute(synthRelease({ timeout: '250ms' })).timeout).toEqual('250ms');
    expect(splitRoute(synthRelease({ timeout: '2000us' })).timeout).toEqual('2000us');
    expect(splitRoute(synthRelease({ timeout: '0.001s' })).timeout).toEqual('0.001s');
  });

  test('the stable track may run no pod once the canary is promoted', () => {
    const chart = chartIn();
    release(chart, { stable: { image: STABLE, replicas: 0 }, canary: { image: CANARY, replicas: 3 }, canaryWeight: 100 });
    expect(findObject(synthValid(chart), 'Deployment', 'api-stable').spec.replicas).toEqual(0);
  });

  test('brand checks', () => {
    const api = release(chartIn());
    expect(CanaryRelease.isCanaryRelease(api)).toBe(true);
    expect(CanaryReleaseTrack.isCanaryReleaseTrack(api.stable)).toBe(true);
    expect(CanaryRelease.isCanaryRelease(api.stable)).toBe(false);
  });

  test('escape hatches reach the output', () => {
    const chart = chartIn();
    const api = release(chart);
    ApiObject.of(api.virtualService!).addJsonPatch(JsonPatch.add('/metadata/annotations', { team: 'payments' }));
    expect(findObject(synthValid(chart), 'VirtualService', 'api').metadata.annotations).toEqual({ team: 'payments' });
  });
});

describe('CanaryRelease snapshot', () => {
  test('a release with every option', () => {
    const chart = chartIn();
    const api = release(chart, {
      port: 8080,
      env: { LOG_LEVEL: 'info' },
      secretEnv: { DATABASE_URL: { secret: 'api-db', key: 'url' } },
      probes: { readiness: '/ready', liveness: '/live' },
      stable: { image: STABLE, replicas: 3 },
      canary: { image: CANARY, env: { LOG_LEVEL: 'debug' } },
      canaryWeight: 20,
      match: { headers: { 'x-canary': 'always' } },
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure' },
      timeout: '10s',
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 50, consecutive5xxErrors: 5 },
      gateway: { hosts: ['api.example.com'], tls: { credentialName: 'api-example-com' } },
    });
    new Autoscaled(chart, 'canary-scaling', { target: api.canary, maxReplicas: 3 });
    expect(synthValid(chart)).toMatchSnapshot();
  });
});

describe('CanaryRelease bad input', () => {
  const fails = (props: Partial<CanaryReleaseProps>, pattern: RegExp) => expect(() => release(chartIn(), props)).toThrow(pattern);

  test('fails when canaryWeight is above 100', () => fails({ canaryWeight: 101 }, /test\/api: invalid canaryWeight 101: must be an integer percentage between 0 \(stable only\) and 100 \(promoted\)/));
  test('fails when canaryWeight is negative', () => fails({ canaryWeight: -1 }, /test\/api: invalid canaryWeight -1: must be an integer/));
  test('fails when canaryWeight is not an integer', () => fails({ canaryWeight: 12.5 }, /test\/api: invalid canaryWeight 12.5: must be an integer/));
  test('fails when canaryWeight is missing', () => fails({ canaryWeight: undefined }, /test\/api: invalid canaryWeight undefined/));
  test('fails when retry attempts are negative', () => fails({ retries: { attempts: -1 } }, /test\/api: invalid retries.attempts -1: must be an integer >= 0/));
  test('fails when retryOn names an unknown condition', () => fails({ retries: { attempts: 2, retryOn: '5xx,sometimes' } }, /test\/api: invalid retries.retryOn "5xx,sometimes": .*"sometimes" is not one/));
  test('fails when the timeout is malformed', () => fails({ timeout: 'soon' }, /test\/api: invalid timeout "soon": must be a duration of at least 1ms/));
  test('fails when the timeout has no unit, suggesting seconds', () => fails({ timeout: '10' }, /test\/api: invalid timeout "10": .*did you mean "10s"\?/));
  test('fails when the timeout is zero', () => fails({ timeout: '0s' }, /test\/api: invalid timeout "0s": must be a duration of at least 1ms/));
  test('fails when a Duration is below a millisecond', () => fails({ timeout: Duration.millis(0.5) }, /test\/api: invalid timeout "0.5 millis.*": must be a duration of at least 1ms/));
  test('fails when perTryTimeout is malformed', () => fails({ retries: { attempts: 2, perTryTimeout: '2 s' } }, /test\/api: invalid retries.perTryTimeout "2 s": must be a duration/));
  test('fails when the circuit breaker interval is malformed', () => fails({ circuitBreaker: { interval: '1x' } }, /test\/api: invalid circuitBreaker.interval "1x": must be a duration/));
  test('fails when the fault delay is malformed', () => fails({ faultInjection: { delay: { percent: 10, fixedDelay: '-1s' } } }, /test\/api: invalid faultInjection.delay.fixedDelay "-1s": must be a duration/));
  test('fails when the delay percentage is above 100', () => fails({ faultInjection: { delay: { percent: 150, fixedDelay: '1s' } } }, /test\/api: invalid faultInjection.delay.percent 150: must be a percentage between 0 and 100/));
  test('fails when the abort percentage is negative', () => fails({ faultInjection: { abort: { percent: -5, httpStatus: 503 } } }, /test\/api: invalid faultInjection.abort.percent -5: must be a percentage between 0 and 100/));
  test('fails when the mirror percentage is above 100', () => fails({ canaryWeight: 0, mirror: { percent: 101 } }, /test\/api: invalid mirror.percent 101: must be a percentage between 0 and 100/));
  test('fails when maxEjectionPercent is above 100', () => fails({ circuitBreaker: { maxEjectionPercent: 120 } }, /test\/api: invalid circuitBreaker.maxEjectionPercent 120: must be an integer between 0 and 100/));
  test('fails when the abort status is below 200', () => fails({ faultInjection: { abort: { percent: 1, httpStatus: 199 } } }, /test\/api: invalid faultInjection.abort.httpStatus 199: must be an integer between 200 and 599/));
  test('fails when the abort status is above 599', () => fails({ faultInjection: { abort: { percent: 1, httpStatus: 600 } } }, /test\/api: invalid faultInjection.abort.httpStatus 600: must be an integer between 200 and 599/));
  test('fails when fault injection gives neither delay nor abort', () => fails({ faultInjection: {} }, /test\/api: invalid faultInjection \{\}: must give a delay/));
  test('fails when fault injection is combined with retries', () => fails({ faultInjection: { abort: { percent: 1, httpStatus: 503 } }, retries: { attempts: 2 } }, /test\/api: invalid faultInjection .*cannot be combined with retries: Istio turns off/));
  test('fails when mirroring while the canary already receives traffic', () => fails({ canaryWeight: 10, mirror: { percent: 5 } }, /test\/api: invalid mirror \{"percent":5\}: .*canaryWeight is 10.*set canaryWeight to 0/));
  test('fails when a gateway host has a scheme', () => fails({ gateway: { hosts: ['https://api.example.com'] } }, /test\/api: invalid gateway.hosts "https:\/\/api.example.com": must be a bare DNS host name .*did you mean "api.example.com"/));
  test('fails when a gateway host is uppercase', () => fails({ gateway: { hosts: ['API.example.com'] } }, /test\/api: invalid gateway.hosts "API.example.com": must be a bare DNS host name/));
  test('fails when the gateway has no hosts', () => fails({ gateway: { hosts: [] } }, /test\/api: invalid gateway.hosts \[\]: must be a non-empty list/));
  test('fails when a gateway host is listed twice', () => fails({ gateway: { hosts: ['a.example.com', 'a.example.com'] } }, /test\/api: invalid gateway.hosts .*lists "a.example.com" twice/));
  test('fails when the credential name is not a Secret name', () => fails({ gateway: { hosts: ['a.example.com'], tls: { credentialName: 'My_Cert' } } }, /test\/api: invalid gateway.tls.credentialName "My_Cert": must be a DNS-1123 subdomain/));
  test('fails when the gateway selector is empty', () => fails({ gateway: { hosts: ['a.example.com'], selector: {} } }, /test\/api: invalid gateway.selector \{\}: must be a non-empty map/));
  test('fails when a header name is uppercase, suggesting lowercase', () => fails({ match: { headers: { 'X-Canary': 'always' } } }, /test\/api: invalid match.headers "X-Canary": header names must be lowercase .*did you mean "x-canary"/));
  test('fails when a header name has a space', () => fails({ match: { headers: { 'x canary': 'always' } } }, /test\/api: invalid match.headers "x canary": header names must be lowercase HTTP tokens/));
  test('fails when no header is given', () => fails({ match: { headers: {} } }, /test\/api: invalid match.headers \{\}: must name at least one header/));
  test('fails when a header value is empty', () => fails({ match: { headers: { 'x-canary': '' } } }, /test\/api: invalid match.headers.x-canary "": must be the non-empty exact value/));
  test('fails when a track image is not pinned', () => fails({ canary: { image: 'ghcr.io/acme/api:latest' } }, /test\/api: invalid canary.image "ghcr.io\/acme\/api:latest": the tag "latest" names the channel "latest"/));
  test('fails when a track image is missing', () => fails({ stable: undefined }, /test\/api: invalid stable undefined: is required: an object \{ image, replicas\?, env\?, resources\? \}/));
  test('fails when track replicas are negative', () => fails({ stable: { image: STABLE, replicas: -1 } }, /test\/api: invalid stable.replicas -1: must be an integer >= 0/));
  test('fails when a track env name is invalid', () => fails({ canary: { image: CANARY, env: { '1BAD': 'x' } } }, /test\/api: invalid canary.env.1BAD "1BAD": environment variable names/));
  test('fails when a track memory uses millis', () => fails({ canary: { image: CANARY, resources: { memory: { request: '256m' } } } }, /test\/api: invalid canary.resources.memory.request "256m": "m" means thousandths/));
  test('fails when a track\'s resources are not an object', () => fails({ canary: { image: CANARY, resources: '512Mi' as any } }, /test\/api: invalid canary.resources "512Mi": must be an object/));
  test('fails when a track\'s env is not an object', () => fails({ stable: { image: STABLE, env: 'LOG_LEVEL=debug' as any } }, /test\/api: invalid stable.env "LOG_LEVEL=debug": must be an object/));
  test('fails when the circuit breaker is a list', () => fails({ circuitBreaker: [] as any }, /test\/api: invalid circuitBreaker \[\]: must be an object/));
  test('fails when the gateway TLS is not an object', () => fails({ gateway: { hosts: ['a.example.com'], tls: 'a-cert' as any } }, /test\/api: invalid gateway.tls "a-cert": must be an object \{ credentialName \}/));
  test('fails when a duration is finer than a millisecond, suggesting whole milliseconds', () => fails({ timeout: '1.0015s' }, /test\/api: invalid timeout "1.0015s": .*Istio rejects durations finer than a millisecond \(did you mean "1001ms"\?\)/));
  test('fails when a duration in microseconds is not whole milliseconds', () => fails({ retries: { attempts: 2, perTryTimeout: '1500us' } }, /test\/api: invalid retries.perTryTimeout "1500us": .*finer than a millisecond/));
  test('fails when a duration is beyond what Kubernetes can parse', () => fails({ timeout: '3000000h' }, /test\/api: invalid timeout "3000000h": .*at most 2562047h/));
  test('fails when consecutive5xxErrors is 0', () => fails({ circuitBreaker: { consecutive5xxErrors: 0 } }, /test\/api: invalid circuitBreaker.consecutive5xxErrors 0: must be an integer >= 1/));
  test('fails when the app speaks plain TCP', () => fails({ appProtocol: 'tcp' }, /test\/api: invalid appProtocol "tcp": must be "http", "http2" or "grpc"/));
  test('fails when the name is too long for the track names', () => fails({ name: `a${'b'.repeat(56)}` }, /test\/api: invalid name "ab+": must be at most 56 characters/));

  test('fails at synth when a track that receives traffic runs no pod', () => {
    const chart = chartIn();
    release(chart, { canary: { image: CANARY, replicas: 0 }, canaryWeight: 5 });
    expect(() => Testing.synth(chart)).toThrow(/test\/api: invalid canary.replicas 0: the canary track receives traffic \(canaryWeight 5\) but runs no pod/);
  });

  test('a canary with no pod is fine while it receives no traffic', () => {
    const chart = chartIn();
    release(chart, { canary: { image: CANARY, replicas: 0 }, canaryWeight: 0 });
    expect(findObject(synthValid(chart), 'Deployment', 'api-canary').spec.replicas).toEqual(0);
  });

  test('fails when Autoscaled targets the release instead of a track', () => {
    const chart = chartIn();
    const api = release(chart);
    expect(() => new Autoscaled(chart, 'scaling', { target: api as any, maxReplicas: 4 }))
      .toThrow(/test\/scaling: invalid target "test\/api": must be a WebApp, a CanaryRelease track \(release.stable \/ release.canary\)/);
  });

  test('fails when a duration is below a millisecond', () => fails({ timeout: '100us' }, /test\/api: invalid timeout "100us": must be a duration of at least 1ms/));

  test('fails at synth when a budget is given and both tracks run one pod', () => {
    const chart = chartIn();
    release(chart, { stable: { image: STABLE, replicas: 1 }, disruptionBudget: { maxUnavailable: 1 } });
    expect(() => Testing.synth(chart)).toThrow(/test\/api: invalid disruptionBudget .*both tracks run a single replica/);
  });

  test('fails when a WebApp already owns the Service name', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { name: 'api', image: STABLE });
    expect(() => release(chart)).toThrow(/test\/api: invalid serviceAccount.name "api": a ServiceAccount named "api" already exists in namespace "shop" \(created by test\/web\)/);
  });
});

describe('CanaryRelease wiring checks at synth', () => {
  function patchedRelease(patch: (target: CanaryRelease) => void): () => unknown {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const api = new CanaryRelease(chart, 'api', {
      stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10,
    });
    patch(api);
    return () => Testing.synth(chart);
  }

  test('fails when a patch routes to a subset the DestinationRule does not define, naming both ends', () => {
    expect(patchedRelease(r => ApiObject.of(r.virtualService!).addJsonPatch(JsonPatch.replace('/spec/http/0/route/1/destination/subset', 'beta'))))
      .toThrow(/test\/api: VirtualService api route .* sends traffic to subset "beta", which no DestinationRule of Service api defines/);
  });

  test('fails when a patch makes a subset select no pods', () => {
    expect(patchedRelease(r => ApiObject.of(r.destinationRule!).addJsonPatch(JsonPatch.replace('/spec/subsets/1/labels/cloudnative-constructs.io~1track', 'gone'))))
      .toThrow(/test\/api: DestinationRule api subset "canary" selects no pods/);
  });

  test('fails when a patch sends a route to another host', () => {
    expect(patchedRelease(r => ApiObject.of(r.virtualService!).addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/host', 'gone'))))
      .toThrow(/test\/api: VirtualService api route .* sends traffic to host "gone", not to Service api/);
  });
});
