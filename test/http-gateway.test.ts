import { CanaryRelease, HttpGateway, HttpGatewayProps, HttpsGateway, NetworkPolicyBundle, reachabilityReport, SecureNamespace, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const GATEWAY_PODS = { 'gateway.networking.k8s.io/gateway-name': 'internal' };

function synthGateway(props: HttpGatewayProps = {}): Manifest[] {
  const chart = chartIn();
  new HttpGateway(chart, 'internal', props);
  return synthValid(chart);
}

describe('HttpGateway', () => {
  test('new HttpGateway(scope, id, {}) is a valid any-host gateway: one HTTP listener on port 80 without hostname', () => {
    const objects = synthGateway();
    // class istio: the Gateway and the ConfigMap of Istio's Gateway customization that its pods' seccomp profile comes from
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/internal', 'ConfigMap/internal-gateway-options']);
    expect(findObject(objects, 'Gateway', 'internal').spec).toEqual({
      gatewayClassName: 'istio',
      infrastructure: { parametersRef: { group: '', kind: 'ConfigMap', name: 'internal-gateway-options' } },
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
  });

  test('its pods are Istio proxies like HttpsGateway\'s: seccomp through parametersRef, egress to istiod, and a restricted namespace admits them', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { injection: false } });
    const gateway = new HttpGateway(chart, 'internal', {});
    expect(gateway.meshProxy).toBe(true);
    const objects = synthValid(chart);
    const overlay = findObject(objects, 'ConfigMap', 'internal-gateway-options').data.deployment;
    expect(overlay).toContain('RuntimeDefault');
    const toIstiod = findObject(objects, 'NetworkPolicy', 'internal-to-istiod');
    expect(toIstiod.spec.podSelector).toEqual({ matchLabels: GATEWAY_PODS });
    expect(toIstiod.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 15012 }]);
  });

  test('another class gets no Istio pod configuration', () => {
    const objects = synthGateway({ className: 'cilium' });
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['Gateway/internal']);
  });

  test('hosts give one HTTP listener each; className, namespace and allowedRoutes as for HttpsGateway', () => {
    const objects = synthGateway({ hosts: ['shop.internal', '*.apps.internal'], className: 'cilium', namespace: 'edge', allowedRoutes: { namespaces: ['shop'] } });
    const gateway = findObject(objects, 'Gateway', 'internal');
    expect(gateway.metadata.namespace).toEqual('edge');
    const allowedRoutes = { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } } };
    expect(gateway.spec.listeners).toEqual([
      { name: 'http-shop.internal', hostname: 'shop.internal', port: 80, protocol: 'HTTP', allowedRoutes },
      { name: 'http-wildcard.apps.internal', hostname: '*.apps.internal', port: 80, protocol: 'HTTP', allowedRoutes },
    ]);
  });

  test('route: { gateway } without hosts attaches to the any-host listener with no hostnames', () => {
    const chart = chartIn();
    const gateway = new HttpGateway(chart, 'internal', {});
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway } });
    const route = findObject(synthValid(chart), 'HTTPRoute', 'web');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', sectionName: 'http' }]);
    expect(route.spec.hostnames).toBeUndefined();
  });

  test('a route with hosts on an any-host gateway attaches to the same listener and keeps its hostnames', () => {
    const chart = chartIn();
    const gateway = new HttpGateway(chart, 'internal');
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.internal'], path: '/shop' } });
    const route = findObject(synthValid(chart), 'HTTPRoute', 'web');
    expect(route.spec.parentRefs[0].sectionName).toEqual('http');
    expect(route.spec.hostnames).toEqual(['shop.internal']);
  });

  test('with hosts, a route attaches to the listener of its host (or the wildcard covering it)', () => {
    const chart = chartIn();
    const gateway = new HttpGateway(chart, 'internal', { hosts: ['shop.internal', '*.apps.internal'] });
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['shop.internal', 'api.apps.internal'] } });
    expect(findObject(synthValid(chart), 'HTTPRoute', 'web').spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['http-shop.internal', 'http-wildcard.apps.internal']);
  });

  test('a CanaryRelease with routing gateway-api attaches to it too', () => {
    const chart = chartIn();
    const gateway = new HttpGateway(chart, 'internal');
    new CanaryRelease(chart, 'api', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, routing: 'gateway-api', route: { gateway } });
    expect(findObject(synthValid(chart), 'HTTPRoute', 'api').spec.parentRefs[0].sectionName).toEqual('http');
  });

  test('a reference naming its listener takes a route without hosts', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway: { name: 'internal', namespace: 'edge', listener: 'http' } } });
    expect(findObject(synthValid(chart), 'HTTPRoute', 'web').spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', namespace: 'edge', sectionName: 'http' },
    ]);
  });

  test('allowFromGateway opens the routed app from its pods, and its port 80 (not 443) to everyone', () => {
    // GIVEN a default-deny, deny-by-default namespace with an any-host HTTP gateway and two apps, one routed
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    const gateway = new HttpGateway(chart, 'internal');
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway } });
    new WebApp(chart, 'admin', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net', { allowFromGateway: gateway });
    const objects = synthValid(chart);
    // THEN only the routed app is reachable from the gateway, and the gateway only on 80
    const lines = reachabilityReport(objects).lines;
    expect(lines).toEqual(expect.arrayContaining(['shop/internal (Gateway) → shop/web:8080', '(anywhere) → shop/internal (Gateway):80']));
    expect(lines.filter(l => l.includes('→ shop/admin') || l.includes(':443'))).toEqual([]);
    expect(findObject(objects, 'NetworkPolicy', 'internal-listeners').spec.ingress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(findObject(objects, 'AuthorizationPolicy', 'internal-listeners').spec.rules).toEqual([{ to: [{ operation: { ports: ['80'] } }] }]);
    expect(findObject(objects, 'AuthorizationPolicy', 'web-from-internal').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/shop/sa/internal-istio'] } }]);
    expect(findObject(objects, 'NetworkPolicy', 'internal-to-web').spec.podSelector).toEqual({ matchLabels: GATEWAY_PODS });
  });

  test('HttpGateway.isHttpGateway brands it; an HttpsGateway is not one', () => {
    const chart = chartIn();
    expect(HttpGateway.isHttpGateway(new HttpGateway(chart, 'internal'))).toBe(true);
    expect(HttpGateway.isHttpGateway(new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] }))).toBe(false);
  });

  describe('bad input', () => {
    test('fails when a route without hosts targets an HttpsGateway (it has no any-host listener for routes)', () => {
      const chart = chartIn();
      const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
      expect(() => new WebApp(chart, 'web', { image: IMAGE, route: { gateway } })).toThrow(
        /^test\/web: invalid route.hosts undefined: a route without hosts attaches to an any-host listener, but the gateway test\/public serves "shop.example.com" only; list the hosts to route/);
    });
    test('fails when a route without hosts targets an HttpGateway with hosts', () => {
      const chart = chartIn();
      const gateway = new HttpGateway(chart, 'internal', { hosts: ['shop.internal'] });
      expect(() => new WebApp(chart, 'web', { image: IMAGE, route: { gateway } })).toThrow(/invalid route.hosts undefined: .*serves "shop.internal" only/);
    });
    test('fails when a route without hosts targets a reference without listener', () => {
      expect(() => new WebApp(chartIn(), 'web', { image: IMAGE, route: { gateway: { name: 'public', namespace: 'edge' } } })).toThrow(
        /invalid route.hosts undefined: .*a gateway made elsewhere is assumed to have one HTTPS listener per host; .*name the reference's listener/);
    });
    test('fails on empty or repeated hosts, naming the fix', () => {
      expect(() => synthGateway({ hosts: [] })).toThrow(/^test\/internal: invalid hosts \[\]: must be a non-empty list of host names such as \["shop.internal"\]; leave it out to serve every host$/);
      expect(() => synthGateway({ hosts: ['a.internal', 'a.internal'] })).toThrow(/invalid hosts .*: lists "a.internal" twice/);
    });
    test('fails when the route host is not one of its hosts', () => {
      const chart = chartIn();
      const gateway = new HttpGateway(chart, 'internal', { hosts: ['shop.internal'] });
      expect(() => new WebApp(chart, 'web', { image: IMAGE, route: { gateway, hosts: ['blog.internal'] } })).toThrow(/invalid route.hosts\[0\] "blog.internal": the gateway test\/internal serves "shop.internal" only/);
    });
    test('fails when two gateways take one name', () => {
      const chart = chartIn();
      new HttpsGateway(chart, 'a', { name: 'edge', hosts: ['shop.example.com'] });
      expect(() => new HttpGateway(chart, 'b', { name: 'edge' })).toThrow(/test\/b: invalid name "edge": a Gateway named "edge" already exists/);
    });
  });
});
