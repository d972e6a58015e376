import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps, HttpsGateway } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

// CanaryRelease with routing 'gateway-api': the split is an HTTPRoute's backend weights.

const STABLE = 'ghcr.io/acme/api:2.0.0';
const CANARY = 'ghcr.io/acme/api:2.1.0';

function release(chart: Chart, props: Partial<CanaryReleaseProps> = {}, route: Partial<CanaryReleaseProps['route']> = {}): CanaryRelease {
  const gateway = new HttpsGateway(chart, 'public', { hosts: ['api.example.com'] });
  return new CanaryRelease(chart, 'api', {
    stable: { image: STABLE },
    canary: { image: CANARY },
    canaryWeight: 10,
    routing: 'gateway-api',
    route: { gateway, hosts: ['api.example.com'], ...route },
    ...props,
  });
}

function synthRelease(props: Partial<CanaryReleaseProps> = {}, route: Partial<CanaryReleaseProps['route']> = {}): Manifest[] {
  const chart = chartIn();
  release(chart, props, route);
  return synthValid(chart);
}

const rules = (objects: Manifest[]) => findObject(objects, 'HTTPRoute', 'api').spec.rules;
const rule = (objects: Manifest[], name: string) => rules(objects).find((r: any) => r.name === name);

describe('CanaryRelease routing gateway-api', () => {
  // GIVEN a 10 % canary routed through a gateway
  const objects = synthRelease();

  test('writes Services <name>-stable and <name>-canary beside <name>, and an HTTPRoute instead of Istio objects', () => {
    expect(objects.filter(o => !['Gateway'].includes(o.kind) && !['public-https-redirect', 'public-gateway-options'].includes(o.metadata.name)).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/api',
      'Deployment/api-stable', 'Service/api-stable', 'PodDisruptionBudget/api-stable',
      'Deployment/api-canary', 'Service/api-canary',
      'Service/api', 'HTTPRoute/api',
    ]);
  });

  test('each track Service selects only its track\'s pods, on the release\'s port', () => {
    for (const track of ['stable', 'canary']) {
      const service = findObject(objects, 'Service', `api-${track}`);
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api', 'cloudnative-constructs.io/track': track });
      expect(service.spec.ports).toEqual(findObject(objects, 'Service', 'api').spec.ports);
    }
  });

  test('the default rule splits 90 / 10 by backend weights, attached to the HTTPS listener', () => {
    const route = findObject(objects, 'HTTPRoute', 'api').spec;
    expect(route.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'https-api.example.com' }]);
    expect(route.rules).toEqual([{
      name: 'split',
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [
        { group: '', kind: 'Service', name: 'api-stable', port: 8080, weight: 90 },
        { group: '', kind: 'Service', name: 'api-canary', port: 8080, weight: 10 },
      ],
    }]);
  });

  test('0 and 100 keep both backends, so promoting or rolling back changes one number', () => {
    expect(rule(synthRelease({ canaryWeight: 0 }), 'split').backendRefs.map((b: any) => b.weight)).toEqual([100, 0]);
    expect(rule(synthRelease({ canaryWeight: 100 }), 'split').backendRefs.map((b: any) => b.weight)).toEqual([0, 100]);
  });

  test('match headers reach the canary first, on the same path prefix', () => {
    const matched = synthRelease({ match: { headers: { 'x-canary': 'always', 'x-beta': '1' } } }, { path: '/api' });
    expect(rules(matched).map((r: any) => r.name)).toEqual(['canary-match', 'split']);
    expect(rule(matched, 'canary-match')).toEqual({
      name: 'canary-match',
      matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ type: 'Exact', name: 'x-beta', value: '1' }, { type: 'Exact', name: 'x-canary', value: 'always' }] }],
      backendRefs: [{ group: '', kind: 'Service', name: 'api-canary', port: 8080 }],
    });
  });

  test('timeout (top level or route.timeout) is the request timeout of every rule', () => {
    const top = synthRelease({ timeout: '5s', match: { headers: { 'x-canary': 'always' } } });
    expect(rules(top).map((r: any) => r.timeouts)).toEqual([{ request: '5s' }, { request: '5s' }]);
    expect(rule(synthRelease({}, { timeout: '2m' }), 'split').timeouts).toEqual({ request: '2m' });
  });

  test('mirror copies a whole percentage of the stable traffic to the canary Service', () => {
    const mirrored = synthRelease({ canaryWeight: 0, mirror: { percent: 5 } });
    expect(rule(mirrored, 'split').filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: { group: '', kind: 'Service', name: 'api-canary', port: 8080 }, percent: 5 } },
    ]);
  });

  test('exposes the objects, and no Istio routing objects', () => {
    const api = release(chartIn());
    expect(api.routing).toEqual('gateway-api');
    expect([api.stableService?.name, api.canaryService?.name, api.httpRoute?.kind]).toEqual(['api-stable', 'api-canary', 'HTTPRoute']);
    expect([api.virtualService, api.destinationRule, api.gateway]).toEqual([undefined, undefined, undefined]);
  });

  test('routing istio (the default) is unchanged: no track Services, no HTTPRoute', () => {
    const chart = chartIn();
    const api = new CanaryRelease(chart, 'api', { stable: { image: STABLE }, canary: { image: CANARY }, canaryWeight: 10 });
    expect(api.routing).toEqual('istio');
    expect(synthValid(chart).map(o => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'PodDisruptionBudget', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
  });

  test('matches a representative snapshot', () => {
    expect(synthRelease({ match: { headers: { 'x-canary': 'always' } }, timeout: '10s' }, { path: '/api' })).toMatchSnapshot();
  });
});

describe('CanaryRelease routing gateway-api fails', () => {
  const make = (props: Partial<CanaryReleaseProps>, route: Partial<CanaryReleaseProps['route']> = {}) => () => release(chartIn(), props, route);

  test('fails on each option Gateway API cannot express, saying why', () => {
    expect(make({ retries: { attempts: 2 } }))
      .toThrow(/test\/api: invalid retries \{"attempts":2\}: cannot be expressed with routing "gateway-api": HTTPRoute retries \(HTTPRouteRetry\) exist only in Gateway API's experimental channel, not in the standard channel \(v1.6\) this library writes; remove retries or use routing "istio"/);
    expect(make({ circuitBreaker: { maxConnections: 10 } }))
      .toThrow(/invalid circuitBreaker \{"maxConnections":10\}: cannot be expressed with routing "gateway-api": Gateway API has no connection limits or outlier detection/);
    expect(make({ faultInjection: { abort: { percent: 5, httpStatus: 503 } } }))
      .toThrow(/invalid faultInjection .*: cannot be expressed with routing "gateway-api": Gateway API has no fault injection filter/);
  });

  test('fails when an Istio gateway is given with routing gateway-api', () => {
    expect(make({ gateway: { hosts: ['api.example.com'] } }))
      .toThrow(/test\/api: invalid gateway \{"hosts":\["api.example.com"\]\}: is an Istio Gateway: with routing "gateway-api" the release attaches to a Gateway API gateway through route: \{ gateway, hosts \}; remove gateway/);
  });

  test('fails when route is missing with gateway-api, or given with istio routing', () => {
    const chart = chartIn();
    expect(() => new CanaryRelease(chart, 'api', { stable: { image: STABLE }, canary: { image: CANARY }, canaryWeight: 10, routing: 'gateway-api' }))
      .toThrow(/test\/api: invalid route undefined: is required with routing "gateway-api"/);
    expect(make({ routing: 'istio' })).toThrow(/test\/api: invalid route.hosts \["api.example.com"\]: attaches an HTTPRoute, which needs routing: "gateway-api"/);
    expect(make({ routing: 'linkerd' as never })).toThrow(/invalid routing "linkerd": must be "istio" or "gateway-api"/);
  });

  test('fails when the timeout is given twice or is finer than Gateway API writes', () => {
    expect(make({ timeout: '5s' }, { timeout: '5s' })).toThrow(/invalid timeout "5s": is given twice, here and as route.timeout; give it once/);
    expect(make({ timeout: '2.5s' })).toThrow(/invalid timeout "2.5s": Gateway API durations are one to four whole numbers/);
  });

  test('fails when mirror has a fractional percent or canaryWeight is not 0', () => {
    expect(make({ canaryWeight: 0, mirror: { percent: 2.5 } })).toThrow(/invalid mirror.percent 2.5: must be an integer between 0 and 100/);
    expect(make({ mirror: { percent: 5 } })).toThrow(/invalid mirror \{"percent":5\}: shadows stable traffic to the canary, but canaryWeight is 10/);
  });

  test('fails when a track that receives traffic runs no pod', () => {
    const chart = chartIn();
    release(chart, { canary: { image: CANARY, replicas: 0 } });
    expect(() => synthValid(chart)).toThrow(/invalid canary.replicas 0: the canary track receives traffic/);
  });

  test('fails when a patch sends the split to a Service that is not a track\'s', () => {
    const chart = chartIn();
    const api = release(chart);
    ApiObject.of(api.httpRoute!).addJsonPatch(JsonPatch.replace('/spec/rules/0/backendRefs/1/name', 'api'));
    expect(() => synthValid(chart)).toThrow(/test\/api: HTTPRoute api rule "split" sends traffic to Service "api", not to Service api-stable or Service api-canary/);
  });

  test('fails when a patch makes a track Service select no pods', () => {
    const chart = chartIn();
    const api = release(chart);
    ApiObject.of(api.canaryService!).addJsonPatch(JsonPatch.replace('/spec/selector/cloudnative-constructs.io~1track', 'preview'));
    expect(() => synthValid(chart)).toThrow(/test\/api: Service api-canary selects no pods/);
  });
});
