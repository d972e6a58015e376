import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, HttpsGateway, NetworkPolicyBundle, NetworkPolicyBundleProps, reachabilityReport, SecureNamespace, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

// NetworkPolicyBundle.allowFromGateway: the gateway's pods reach exactly the routed workloads.

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const GATEWAY_PODS = { 'gateway.networking.k8s.io/gateway-name': 'public' };
const WEB_PODS = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };

const names = (objects: Manifest[], kind: string) => objects.filter(o => o.kind === kind).map(o => o.metadata.name).sort();

/** A gateway, a routed web app and an unrouted admin app in shop; the bundle first or last. */
type BundleOf = NetworkPolicyBundleProps | ((gateway: HttpsGateway) => NetworkPolicyBundleProps);

function shop(bundle: BundleOf, bundleFirst = false, denyByDefault = false): Chart {
  const chart = chartIn();
  if (denyByDefault) new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  if (bundleFirst && typeof bundle !== 'function') new NetworkPolicyBundle(chart, 'net', bundle);
  const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'] });
  new WebApp(chart, 'web', { image: IMAGE, port: 8080, servicePort: 80, route: { gateway, hosts: ['shop.example.com'] } });
  new WebApp(chart, 'admin', { image: IMAGE });
  if (!bundleFirst) new NetworkPolicyBundle(chart, 'net', typeof bundle === 'function' ? bundle(gateway) : bundle);
  return chart;
}

describe('NetworkPolicyBundle allowFromGateway', () => {
  // GIVEN a default-deny namespace whose bundle allows the gateway
  const objects = synthValid(shop(gateway => ({ allowFromGateway: gateway })));

  test('opens only the routed app, on its container port, from the gateway\'s pods', () => {
    // public-to-istiod: the gateway's pods are Istio proxies, which fetch their configuration from istiod
    expect(names(objects, 'NetworkPolicy')).toEqual(['allow-dns', 'default-deny', 'public-listeners', 'public-to-istiod', 'public-to-web', 'web-from-public']);
    expect(findObject(objects, 'NetworkPolicy', 'web-from-public').spec).toEqual({
      podSelector: { matchLabels: WEB_PODS },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: GATEWAY_PODS } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(findObject(objects, 'NetworkPolicy', 'public-to-web').spec).toEqual({
      podSelector: { matchLabels: GATEWAY_PODS },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: WEB_PODS } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('opens the gateway\'s listener ports to everyone, since its namespace denies ingress', () => {
    expect(findObject(objects, 'NetworkPolicy', 'public-listeners').spec).toEqual({
      podSelector: { matchLabels: GATEWAY_PODS },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }],
    });
  });

  test('the reachability report shows the gateway as a source', () => {
    const lines = reachabilityReport(objects).lines;
    expect(lines).toEqual(expect.arrayContaining(['shop/public (Gateway) → shop/web:8080', '(anywhere) → shop/public (Gateway):443', '(anywhere) → shop/public (Gateway):80']));
    expect(lines.filter(l => l.includes('→ shop/admin'))).toEqual([]);
  });

  test('a gateway in a namespace chart of its own: its listener policies are written into that chart', () => {
    const app = Testing.app();
    const edge = chartIn('edge', app, 'edge');
    const shopChart = chartIn('shop', app, 'shop');
    new SecureNamespace(edge, 'ns', { name: 'edge', istio: { denyByDefault: true } });
    const gateway = new HttpsGateway(edge, 'public', { hosts: ['shop.example.com'], allowedRoutes: 'All' });
    new NetworkPolicyBundle(shopChart, 'net', { allowFromGateway: gateway });
    synthValid(app);
    const policies = (chart: Chart) => Testing.synth(chart).filter(o => /Policy$/.test(o.kind)).map(o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(policies(edge)).toEqual(expect.arrayContaining(['NetworkPolicy/edge/public-listeners', 'AuthorizationPolicy/edge/public-listeners']));
    expect(policies(shopChart).filter(p => p.includes('/edge/'))).toEqual([]);
  });

  test('gives the same policies whichever is created first, the bundle or the routes', () => {
    const later = synthValid(shop({ allowFromGateway: { name: 'public', namespace: 'shop' } }, true));
    expect(names(later, 'NetworkPolicy')).toEqual(names(objects, 'NetworkPolicy'));
    expect(findObject(later, 'NetworkPolicy', 'web-from-public').spec).toEqual(findObject(objects, 'NetworkPolicy', 'web-from-public').spec);
  });

  test('in an Istio deny-by-default namespace, allows the gateway\'s <name>-istio identity and its listeners at L7', () => {
    const mesh = synthValid(shop(gateway => ({ allowFromGateway: gateway }), false, true));
    expect(findObject(mesh, 'AuthorizationPolicy', 'web-from-public').spec).toEqual({
      selector: { matchLabels: WEB_PODS },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/public-istio'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findObject(mesh, 'AuthorizationPolicy', 'public-listeners').spec).toEqual({
      selector: { matchLabels: GATEWAY_PODS },
      action: 'ALLOW',
      rules: [{ to: [{ operation: { ports: ['80', '443'] } }] }],
    });
  });

  test('a gateway made elsewhere, by { name, namespace, className }: ingress from its namespace and pods, its identity in the mesh', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    const edge = { name: 'public', namespace: 'edge', className: 'istio-external' };
    new WebApp(chart, 'web', { image: IMAGE, route: { gateway: edge, hosts: ['shop.example.com'] } });
    new NetworkPolicyBundle(chart, 'net', { allowFromGateway: edge });
    const out = synthValid(chart);
    expect(findObject(out, 'NetworkPolicy', 'web-from-edge-public').spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } }, podSelector: { matchLabels: GATEWAY_PODS } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    expect(findObject(out, 'AuthorizationPolicy', 'web-from-edge-public').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/edge/sa/public-istio-external'] } }]);
    // edge's own policies are not this app's to write: nothing denies there
    expect(out.filter(o => o.metadata.namespace === 'edge')).toEqual([]);
  });

  test('opens a canary release routed through the gateway for both tracks', () => {
    const chart = chartIn();
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['api.example.com'] });
    new CanaryRelease(chart, 'api', { stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/app:1.1.0' }, canaryWeight: 10, routing: 'gateway-api', route: { gateway, hosts: ['api.example.com'] } });
    new NetworkPolicyBundle(chart, 'net', { allowFromGateway: gateway });
    const out = synthValid(chart);
    expect(findObject(out, 'NetworkPolicy', 'api-from-public').spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } });
    expect(reachabilityReport(out).lines).toEqual(expect.arrayContaining(['shop/public (Gateway) → shop/api-canary:8080', 'shop/public (Gateway) → shop/api-stable:8080']));
  });

  test('opens only the workloads of the bundle\'s namespace', () => {
    const app = Testing.app();
    const gateway = new HttpsGateway(chartIn('edge', app, 'edge'), 'public', { hosts: ['a.example.com', 'b.example.com'], allowedRoutes: 'All' });
    new WebApp(chartIn('shop', app, 'shop'), 'web', { image: IMAGE, route: { gateway, hosts: ['a.example.com'] } });
    new WebApp(chartIn('blog', app, 'blog'), 'web', { image: IMAGE, route: { gateway, hosts: ['b.example.com'] } });
    new NetworkPolicyBundle(app.charts[1], 'net', { allowFromGateway: gateway });
    const out = synthValid(app);
    expect(out.filter(o => o.kind === 'NetworkPolicy').map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toEqual(['shop/allow-dns', 'shop/default-deny', 'shop/web-from-edge-public']);
  });

  test('fails when the gateway is neither an HttpsGateway nor { name, namespace }', () => {
    expect(() => new NetworkPolicyBundle(chartIn(), 'net', { allowFromGateway: 'public' as never }))
      .toThrow(/test\/net: invalid allowFromGateway "public": must be an HttpsGateway, an HttpGateway, an object \{ name, namespace, className\?, listener\? \} or a list/);
    expect(() => new NetworkPolicyBundle(chartIn(), 'net', { allowFromGateway: [{ name: 'public', namespace: 'edge' }, { name: 'x' } as never] }))
      .toThrow(/test\/net: invalid allowFromGateway\[1\].namespace undefined: is required: a string/);
    expect(() => new NetworkPolicyBundle(chartIn(), 'net', { allowFromGateway: [{ name: 'public', namespace: 'edge' }, { name: 'public', namespace: 'edge', className: 'x' }] }))
      .toThrow(/test\/net: invalid allowFromGateway\[1\] "edge\/public": lists this gateway twice/);
  });
});
