import { ApiObject, Duration, JsonPatch, Testing } from 'cdk8s';
import { HttpsGateway, RouteOptions, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';
import { httpRoutePathProblems } from './harness/gateway-path-rules';

// The `route` prop: an HTTPRoute attached to a Gateway API gateway (WebApp here; StatefulApp
// reuses the same code in src/internal/gateway/route-attachment.ts).

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function synthRouted(route: (gateway: HttpsGateway) => RouteOptions, hosts = ['shop.example.com', '*.example.com']): Manifest[] {
  const chart = chartIn();
  const gateway = new HttpsGateway(chart, 'public', { hosts });
  new WebApp(chart, 'web', { image: IMAGE, port: 8080, servicePort: 80, route: route(gateway) });
  return synthValid(chart);
}

const httpRoute = (objects: Manifest[], name = 'web') => findObject(objects, 'HTTPRoute', name);

describe('WebApp route', () => {
  test('attaches an HTTPRoute <name> to the HTTPS listener of the host, sending / to the Service port', () => {
    // GIVEN a gateway and an app routed through it
    const objects = synthRouted(gateway => ({ gateway, hosts: ['shop.example.com'] }));
    // THEN
    const route = httpRoute(objects);
    expect(route.metadata.namespace).toEqual('shop');
    expect(route.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'https-shop.example.com' }],
      hostnames: ['shop.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }] }],
    });
  });

  test('path and timeout', () => {
    const objects = synthRouted(gateway => ({ gateway, hosts: ['shop.example.com'], path: '/shop', timeout: Duration.seconds(30) }));
    expect(httpRoute(objects).spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/shop' } }]);
    expect(httpRoute(objects).spec.rules[0].timeouts).toEqual({ request: '30s' });
  });

  test('hosts covered by the gateway\'s wildcard attach to the wildcard listener, one parentRef per listener', () => {
    const objects = synthRouted(gateway => ({ gateway, hosts: ['shop.example.com', 'www.example.com', 'blog.example.com'] }));
    expect(httpRoute(objects).spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https-shop.example.com', 'https-wildcard.example.com']);
  });

  test('attaches across namespaces to a gateway that allows the route\'s namespace', () => {
    // GIVEN a gateway in edge accepting routes from shop, and an app in shop
    const app = Testing.app();
    const gateway = new HttpsGateway(chartIn('edge', app, 'edge'), 'public', { hosts: ['shop.example.com'], allowedRoutes: { namespaces: ['shop'] } });
    new WebApp(chartIn('shop', app, 'shop'), 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'] } });
    // THEN the parentRef names the gateway's namespace
    const objects = synthValid(app);
    expect(httpRoute(objects).spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'edge', sectionName: 'https-shop.example.com' },
    ]);
  });

  test('a gateway made elsewhere, by { name, namespace }, is assumed to follow HttpsGateway\'s listener names', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway: { name: 'public', namespace: 'edge' }, hosts: ['shop.example.com', '*.example.com'] } });
    expect(httpRoute(synthValid(chart)).spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'edge', sectionName: 'https-shop.example.com' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'edge', sectionName: 'https-wildcard.example.com' },
    ]);
  });

  test('exposes the HTTPRoute as web.httpRoute', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
    const web = new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'] } });
    expect(web.httpRoute?.kind).toEqual('HTTPRoute');
  });
});

describe('WebApp route wiring at synth', () => {
  test('fails when a patch sends the route to another Service or port', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
    const web = new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'] } });
    ApiObject.of(web.httpRoute!).addJsonPatch(JsonPatch.replace('/spec/rules/0/backendRefs/0/port', 9090));
    expect(() => synthValid(chart)).toThrow(/test\/web: HTTPRoute web rule "" sends traffic to port 9090, which Service web does not expose/);
    ApiObject.of(web.httpRoute!).addJsonPatch(JsonPatch.replace('/spec/rules/0/backendRefs/0/name', 'gone'));
    expect(() => synthValid(chart)).toThrow(/test\/web: HTTPRoute web rule "" sends traffic to Service "gone", not to Service web/);
  });
});

describe('WebApp route fails', () => {
  const routed = (route: unknown, hosts = ['shop.example.com']) => () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts });
    new WebApp(chart, 'web', { image: IMAGE, route: typeof route === 'function' ? route(gateway) : route as RouteOptions });
  };

  test('fails when the gateway does not accept the route\'s namespace', () => {
    const app = Testing.app();
    const gateway = new HttpsGateway(chartIn('edge', app, 'edge'), 'public', { hosts: ['shop.example.com'] });
    expect(() => new WebApp(chartIn('shop', app, 'shop'), 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'] } }))
      .toThrow(/shop\/web: invalid route.gateway "edge\/public": the gateway edge\/public accepts routes from its own namespace "edge" only, not from this route's namespace "shop"; add "shop" to its allowedRoutes/);
    const other = Testing.app();
    const listed = new HttpsGateway(chartIn('edge', other, 'edge'), 'listed', { hosts: ['shop.example.com'], allowedRoutes: { namespaces: ['blog'] } });
    expect(() => new WebApp(chartIn('shop', other, 'shop'), 'web', { image: IMAGE, route: { gateway: listed, hosts: ['shop.example.com'] } }))
      .toThrow(/accepts routes from the namespaces "blog" only, not from this route's namespace "shop"/);
  });

  test('fails when a host is not one of the gateway\'s', () => {
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['blog.example.org'] })))
      .toThrow(/test\/web: invalid route.hosts\[0\] "blog.example.org": the gateway test\/public serves "shop.example.com" only; add "blog.example.org" to its hosts or route one of those/);
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['a.shop.example.com'] }), ['*.example.com']))
      .toThrow(/invalid route.hosts\[0\] "a.shop.example.com": the gateway test\/public serves "\*.example.com" only/);
  });

  test('fails when hosts, path or timeout are invalid', () => {
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: [] }))).toThrow(/invalid route.hosts \[\]: must be a non-empty list of host names/);
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['shop.example.com', 'shop.example.com'] }))).toThrow(/lists "shop.example.com" twice/);
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['shop.example.com'], path: 'shop' }))).toThrow(/invalid route.path "shop": must be an HTTP path starting with '\/' \(e.g. "\/shop"\)/);
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['shop.example.com'], timeout: '1.5s' })))
      .toThrow(/invalid route.timeout "1.5s": Gateway API durations are one to four whole numbers of at most five digits, each with a unit h, m, s or ms, without fractions \(e.g. "1500ms" rather than "1.5s"/);
    expect(routed((gateway: HttpsGateway) => ({ gateway, hosts: ['shop.example.com'], timeout: 'soon' }))).toThrow(/invalid route.timeout "soon": must be a duration/);
  });

  test('fails when the app does not speak HTTP', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
    expect(() => new WebApp(chart, 'web', { image: IMAGE, appProtocol: 'tcp', route: { gateway, hosts: ['shop.example.com'] } }))
      .toThrow(/test\/web: invalid route \["shop.example.com"\]: needs an HTTP workload, but appProtocol is "tcp"/);
  });

  test('fails when the gateway is neither an HttpsGateway nor { name, namespace }', () => {
    expect(routed({ gateway: 'public', hosts: ['shop.example.com'] })).toThrow(/invalid route.gateway "public": must be an HttpsGateway, an HttpGateway or an object \{ name, namespace, className\?, listener\? \}/);
    expect(routed({ gateway: { name: 'public' }, hosts: ['shop.example.com'] })).toThrow(/invalid route.gateway.namespace undefined: is required: a string/);
    expect(routed({ gateway: { name: 'public', namespace: 'Edge' }, hosts: ['shop.example.com'] })).toThrow(/invalid route.gateway.namespace "Edge": must be a DNS-1123 label/);
    expect(routed('public')).toThrow(/invalid route "public": must be an object \{ gateway, hosts\?, path\?, timeout\? \}/);
  });
});

describe('route and ingress paths as the API server accepts them', () => {
  // The HTTPRoute CRD's CEL rules on matches[].path (read from the CRD in test/harness/gateway-path-rules.ts)
  // and the Ingress validation (kubernetes pkg/apis/networking/validation: no "//", "/./", "/../",
  // "%2f", "%2F", no "/." or "/.." suffix). On main before this change every one of these synthesised.
  const BAD = ['/a//b', '/a/../b', '/a/./b', '/a/..', '/a/.', '/a%2Fb', '/a%2fb', '/a?b', '/a#b', '/a b', '/a"b', `/${'a'.repeat(1024)}`];
  const GOOD = ['/', '/shop', '/api/v1/', '/a%20b', '/~user', '/a.b/c..d', '/a:b@c!$&\'()*+,;=-_'];

  const routeTo = (path: string) => () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.example.com'], path } });
    return synthValid(chart);
  };
  const ingressTo = (path: string) => () => synthValid(((chart) => {
    new WebApp(chart, 'web', { image: IMAGE, ingress: { host: 'shop.example.com', path } });
    return chart;
  })(chartIn()));

  test.each(BAD)('%s: the CRD refuses it, and so does synth, for a route and an ingress', (path) => {
    expect(httpRoutePathProblems(path)).not.toEqual([]);
    const message = new RegExp('^test/web: invalid (route|ingress)\\.path ".*": .*which the API server refuses in a route or ingress path: give a plain absolute path');
    expect(routeTo(path)).toThrow(message);
    expect(ingressTo(path)).toThrow(message);
  });

  test.each(GOOD)('%s: the CRD accepts it, and so does synth', (path) => {
    expect(httpRoutePathProblems(path)).toEqual([]);
    expect(httpRoute(routeTo(path)()).spec.rules[0].matches[0].path.value).toBe(path);
    expect(findObject(ingressTo(path)(), 'Ingress', 'web').spec.rules[0].http.paths[0].path).toBe(path);
  });

  test('the error suggests the path normalised', () => {
    expect(routeTo('/a//b/../c?x=1')).toThrow(/invalid route\.path "\/a\/\/b\/\.\.\/c\?x=1": contains "\/\/", .*\(did you mean "\/a\/c"\?\)$/);
  });
});
