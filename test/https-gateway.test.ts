import { Chart, Testing } from 'cdk8s';
import { HttpsGateway, HttpsGatewayProps, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

function synthGateway(props: Partial<HttpsGatewayProps> = {}): Manifest[] {
  const chart = chartIn();
  new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'], ...props });
  return synthValid(chart);
}

const listeners = (objects: Manifest[]) => findObject(objects, 'Gateway', 'public').spec.listeners;

describe('HttpsGateway defaults', () => {
  // GIVEN a gateway for one host
  const objects = synthGateway();

  test('writes a Gateway of class istio and its redirect route, in the chart\'s namespace', () => {
    // THEN
    expect(objects.map(o => `${o.apiVersion} ${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'gateway.networking.k8s.io/v1 Gateway/shop/public',
      'gateway.networking.k8s.io/v1 HTTPRoute/shop/public-https-redirect',
      // Istio's Gateway customization: the seccomp profile of the pods it deploys (https-gateway-pods.test.ts)
      'v1 ConfigMap/shop/public-gateway-options',
    ]);
    expect(findObject(objects, 'Gateway', 'public').spec.gatewayClassName).toEqual('istio');
  });

  test('has an HTTP listener accepting only its own namespace\'s routes and an HTTPS listener terminating TLS with <name>-tls', () => {
    expect(listeners(objects)).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https-shop.example.com',
        hostname: 'shop.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'public-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
  });

  test('redirects every request on the HTTP listener to HTTPS, and nothing else attaches there', () => {
    expect(findObject(objects, 'HTTPRoute', 'public-https-redirect').spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'http' }],
      hostnames: ['shop.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('has no cert-manager annotation', () => {
    expect(findObject(objects, 'Gateway', 'public').metadata.annotations).toBeUndefined();
  });

  test('exposes the identity and labels Istio gives the gateway\'s pods', () => {
    const gateway = new HttpsGateway(chartIn(), 'edge', { hosts: ['a.example.com'], className: 'internal' });
    expect(gateway.serviceAccountName).toEqual('edge-internal');
    expect(gateway.selector).toEqual({ 'gateway.networking.k8s.io/gateway-name': 'edge' });
    expect(gateway.containerPorts).toEqual([80, 443]);
  });
});

describe('HttpsGateway options', () => {
  test('one HTTPS listener per host, a wildcard host named https-wildcard.<domain>', () => {
    const objects = synthGateway({ hosts: ['shop.example.com', '*.example.com'] });
    expect(listeners(objects).map((l: any) => [l.name, l.hostname])).toEqual([
      ['http', undefined], ['https-shop.example.com', 'shop.example.com'], ['https-wildcard.example.com', '*.example.com'],
    ]);
    expect(findObject(objects, 'HTTPRoute', 'public-https-redirect').spec.hostnames).toEqual(['shop.example.com', '*.example.com']);
  });

  test('listener names stay unique when a literal host reads like the wildcard\'s name (on main before this change: two listeners https-wildcard.example.com, refused by the API server)', () => {
    const hosts = ['*.example.com', 'wildcard.example.com', 'x-wildcard.example.com', 'wildcard'];
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const gateway = new HttpsGateway(chart, 'public', { hosts });
    new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', route: { gateway, hosts: ['wildcard.example.com', 'a.example.com'] } });
    const objects = synthValid(chart);
    const names = listeners(objects).map((l: any) => l.name);
    expect(names).toEqual(['http', 'https-wildcard.example.com', 'https-x-wildcard.example.com', 'https-x-x-wildcard.example.com', 'https-x-wildcard']);
    expect(new Set(names).size).toBe(names.length);
    // the route attaches each host to its own listener
    expect(findObject(objects, 'HTTPRoute', 'web').spec.parentRefs.map((r: any) => r.sectionName)).toEqual(['https-x-wildcard.example.com', 'https-wildcard.example.com']);
  });

  test('tls: a cert-manager ClusterIssuer annotation and a chosen Secret', () => {
    const objects = synthGateway({ tls: { clusterIssuer: 'letsencrypt-prod', secretName: 'shop-cert' } });
    expect(findObject(objects, 'Gateway', 'public').metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(listeners(objects)[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'shop-cert' }]);
  });

  test('allowedRoutes: All, or listed namespaces selected by their name label; the HTTP listener stays Same', () => {
    expect(listeners(synthGateway({ allowedRoutes: 'All' }))[1].allowedRoutes).toEqual({ namespaces: { from: 'All' } });
    const listed = listeners(synthGateway({ allowedRoutes: { namespaces: ['shop', 'blog', 'shop'] } }));
    expect(listed[1].allowedRoutes).toEqual({
      namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['blog', 'shop'] }] } },
    });
    expect(listed[0].allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  test('name, namespace and className', () => {
    const objects = synthGateway({ name: 'edge', namespace: 'istio-ingress', className: 'istio-external' });
    const gateway = findObject(objects, 'Gateway', 'edge');
    expect(gateway.metadata.namespace).toEqual('istio-ingress');
    expect(gateway.spec.gatewayClassName).toEqual('istio-external');
    expect(findObject(objects, 'HTTPRoute', 'edge-https-redirect').metadata.namespace).toEqual('istio-ingress');
  });

  test('listenerFor and allowsRoutesFrom answer for hosts and namespaces', () => {
    const gateway = new HttpsGateway(chartIn(), 'public', { hosts: ['shop.example.com', '*.example.com'], allowedRoutes: { namespaces: ['blog'] } });
    expect(gateway.listenerFor('shop.example.com')).toEqual('https-shop.example.com');
    expect(gateway.listenerFor('blog.example.com')).toEqual('https-wildcard.example.com');
    expect(gateway.listenerFor('a.b.example.com')).toBeUndefined();
    expect(gateway.listenerFor('example.org')).toBeUndefined();
    expect(gateway.allowsRoutesFrom('blog')).toBe(true);
    expect(gateway.allowsRoutesFrom('shop')).toBe(false);
  });

  test('matches a representative snapshot', () => {
    expect(synthGateway({ hosts: ['shop.example.com', '*.example.com'], tls: { clusterIssuer: 'letsencrypt-prod' }, allowedRoutes: { namespaces: ['shop', 'blog'] } })).toMatchSnapshot();
  });
});

describe('HttpsGateway fails', () => {
  const make = (props: unknown) => () => new HttpsGateway(chartIn(), 'public', props as HttpsGatewayProps);

  test('fails when hosts are missing, invalid or repeated', () => {
    expect(make({})).toThrow(/test\/public: invalid hosts undefined: is required: a list \(each a string\)/);
    expect(make({ hosts: ['https://shop.example.com/'] })).toThrow(/test\/public: invalid hosts\[0\] "https:\/\/shop.example.com\/": must be a bare DNS host name .* \(did you mean "shop.example.com"\?\)/);
    expect(make({ hosts: ['a.example.com', 'a.example.com'] })).toThrow(/invalid hosts \["a.example.com","a.example.com"\]: lists "a.example.com" twice/);
  });

  test('fails when there are more hosts than a Gateway has listeners', () => {
    const hosts = Array.from({ length: 64 }, (_, i) => `h${i}.example.com`);
    expect(make({ hosts })).toThrow(/invalid hosts "64 hosts": must list at most 63 hosts: a Gateway has at most 64 listeners/);
  });

  test('fails when allowedRoutes, tls or className are invalid', () => {
    expect(make({ hosts: ['a.example.com'], allowedRoutes: 'Any' })).toThrow(/invalid allowedRoutes "Any": must be "Same", "All" or an object \{ namespaces \}/);
    expect(make({ hosts: ['a.example.com'], allowedRoutes: { namespaces: [] } })).toThrow(/invalid allowedRoutes \{"namespaces":\[\]\}/);
    expect(make({ hosts: ['a.example.com'], allowedRoutes: { namespaces: ['Shop'] } })).toThrow(/invalid allowedRoutes.namespaces\[0\] "Shop": must be a DNS-1123 label/);
    expect(make({ hosts: ['a.example.com'], tls: 'letsencrypt' })).toThrow(/invalid tls "letsencrypt": must be an object \{ secretName\?, clusterIssuer\? \}/);
    expect(make({ hosts: ['a.example.com'], className: 'Istio' })).toThrow(/invalid className "Istio": must be a DNS-1123 subdomain/);
  });

  test('fails when two gateways share a name in one namespace', () => {
    const chart = chartIn();
    new HttpsGateway(chart, 'public', { hosts: ['a.example.com'] });
    expect(() => new HttpsGateway(chart, 'other', { name: 'public', hosts: ['b.example.com'] }))
      .toThrow(/test\/other: invalid name "public": a Gateway named "public" already exists in namespace "shop" \(created by test\/public\)/);
  });

  test('fails when an app\'s route takes the redirect route\'s name', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['a.example.com'] });
    expect(() => new WebApp(chart, 'public-https-redirect', { image: 'ghcr.io/acme/web:1.0.0', route: { gateway, hosts: ['a.example.com'] } }))
      .toThrow(/invalid name "public-https-redirect": a HTTPRoute named "public-https-redirect" already exists/);
  });
});
