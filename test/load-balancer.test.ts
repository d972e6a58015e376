import { NetworkPolicyBundle, reachabilityReport, SecureNamespace, WebApp, WebAppProps } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/frontend:1.0.0';
const SELECTOR = { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/instance': 'frontend' };

/** A frontend behind a load balancer in a SecureNamespace (STRICT mTLS, default-deny) unless `namespace` says otherwise. */
function synthFrontend(props: Partial<WebAppProps> = {}, namespace: ConstructorParameters<typeof SecureNamespace>[2] | false = { name: 'shop' }): Manifest[] {
  const chart = chartIn();
  if (namespace) new SecureNamespace(chart, 'ns', namespace);
  new WebApp(chart, 'frontend', { image: IMAGE, loadBalancer: { port: 80 }, ...props });
  return synthValid(chart);
}

describe('WebApp loadBalancer', () => {
  test('writes the Service <name>-external of type LoadBalancer: port 80 → the app port, client addresses kept', () => {
    // GIVEN Online Boutique's frontend-external (80 → 8080)
    const objects = synthFrontend({}, false);
    expect(findObject(objects, 'Service', 'frontend-external').spec).toEqual({
      type: 'LoadBalancer',
      // Local keeps the client's address (no SNAT to a node), so NetworkPolicy ipBlocks see it
      externalTrafficPolicy: 'Local',
      selector: SELECTOR,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }],
    });
    // the ClusterIP Service stays as it was
    expect(findObject(objects, 'Service', 'frontend').spec.type).toEqual('ClusterIP');
  });

  test('port defaults to 80; sourceRanges and annotations reach the Service', () => {
    const objects = synthFrontend({
      loadBalancer: { sourceRanges: ['203.0.113.0/24', '2001:db8::/32'], annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } },
    }, false);
    const service = findObject(objects, 'Service', 'frontend-external');
    expect(service.spec.ports[0].port).toEqual(80);
    expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(service.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
  });

  test('in a default-deny namespace, outside traffic reaches the app port and nothing else', () => {
    // GIVEN a frontend with metrics on another port, behind a load balancer, in a default-deny namespace
    const objects = synthFrontend({ metrics: { port: 9090 } });
    // THEN the NetworkPolicy opens the app port to any address, and no other port
    expect(findObject(objects, 'NetworkPolicy', 'frontend-external').spec).toEqual({
      podSelector: { matchLabels: SELECTOR }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    const lines = reachabilityReport(objects).lines;
    expect(lines).toContain('(anywhere) → shop/frontend:8080');
    expect(lines.filter(l => l.startsWith('(anywhere) → shop/frontend'))).toEqual(['(anywhere) → shop/frontend:8080']);
  });

  test('without it the frontend is unreachable from outside (the drill: on main before this change, no policy and no Service)', () => {
    const objects = synthFrontend({ loadBalancer: undefined });
    expect(objects.filter(o => o.metadata.name === 'frontend-external')).toEqual([]);
    expect(reachabilityReport(objects).lines.filter(l => l.startsWith('(anywhere) → shop/frontend'))).toEqual([]);
  });

  test('sourceRanges limit the NetworkPolicy to those client blocks', () => {
    const objects = synthFrontend({ loadBalancer: { sourceRanges: ['203.0.113.0/24'] } });
    expect(findObject(objects, 'NetworkPolicy', 'frontend-external').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(reachabilityReport(objects).lines).toContain('203.0.113.0/24 → shop/frontend:8080');
    expect(reachabilityReport(objects).lines.filter(l => l.startsWith('(anywhere) → shop/frontend'))).toEqual([]);
  });

  test('under STRICT mTLS the app port alone accepts plain text (the load balancer has no sidecar)', () => {
    const objects = synthFrontend();
    expect(findObject(objects, 'PeerAuthentication', 'frontend-external').spec).toEqual({
      selector: { matchLabels: SELECTOR }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
    });
  });

  test('with metrics on their own port: one PeerAuthentication for both ports (Istio applies only the oldest of two selecting the same pods)', () => {
    const objects = synthFrontend({ metrics: { port: 9090 } });
    expect(objects.filter(o => o.kind === 'PeerAuthentication').map(o => o.metadata.name).sort()).toEqual(['default', 'frontend-metrics-external']);
    expect(findObject(objects, 'PeerAuthentication', 'frontend-metrics-external').spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' }, 9090: { mode: 'PERMISSIVE' } });
  });

  test('metrics on the app port are scrapable under STRICT once the load balancer opens that port', () => {
    const objects = synthFrontend({ metrics: { port: 8080 } });
    expect(findObject(objects, 'PeerAuthentication', 'frontend-external').spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
  });

  test('no PeerAuthentication where mTLS is PERMISSIVE', () => {
    const objects = synthFrontend({}, { name: 'shop', istio: { mtls: 'PERMISSIVE' } });
    expect(objects.filter(o => o.kind === 'PeerAuthentication').map(o => o.metadata.name)).toEqual(['default']);
  });

  test('in an Istio deny-by-default namespace: an ALLOW policy for the app port from any source, whichever is created first', () => {
    const chart = chartIn();
    new WebApp(chart, 'frontend', { image: IMAGE, loadBalancer: {} });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new NetworkPolicyBundle(chart, 'net');
    const objects = synthValid(chart);
    expect(findObject(objects, 'AuthorizationPolicy', 'frontend-external').spec).toEqual({
      selector: { matchLabels: SELECTOR }, action: 'ALLOW', rules: [{ to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(findObject(objects, 'NetworkPolicy', 'frontend-external').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  test('a tcp app gets no appProtocol on the external port', () => {
    const objects = synthFrontend({ appProtocol: 'tcp', port: 6379, loadBalancer: { port: 6379 } }, false);
    expect(findObject(objects, 'Service', 'frontend-external').spec.ports).toEqual([{ name: 'tcp', port: 6379, targetPort: 'tcp', protocol: 'TCP' }]);
  });

  const fails = (loadBalancer: unknown, pattern: RegExp) =>
    expect(() => new WebApp(chartIn(), 'frontend', { image: IMAGE, loadBalancer: loadBalancer as WebAppProps['loadBalancer'] })).toThrow(pattern);
  test('fails when a source range is not a CIDR block, naming the fix', () => {
    fails({ sourceRanges: ['203.0.113.5'] }, /^test\/frontend: invalid loadBalancer.sourceRanges\[0\] "203.0.113.5": the prefix length is missing: did you mean "203.0.113.5\/32"\?$/);
    fails({ sourceRanges: ['10.1.2.3/16'] }, /invalid loadBalancer.sourceRanges\[0\] "10.1.2.3\/16": .*did you mean "10.1.0.0\/16"\?/);
  });
  test('fails on an empty or repeated source range list', () => {
    fails({ sourceRanges: [] }, /invalid loadBalancer.sourceRanges \[\]: must be a non-empty list of CIDR blocks/);
    fails({ sourceRanges: ['10.0.0.0/8', '10.0.0.0/8'] }, /invalid loadBalancer.sourceRanges .*: lists "10.0.0.0\/8" twice/);
  });
  test('fails on a bad port or annotation key', () => {
    fails({ port: 70000 }, /invalid loadBalancer.port 70000/);
    fails({ annotations: { 'bad key': 'x' } }, /invalid loadBalancer.annotations.bad key "bad key": must be a label or annotation key/);
  });
  test('fails when <name>-external is taken', () => {
    const chart = chartIn();
    new WebApp(chart, 'frontend-external', { image: IMAGE });
    expect(() => new WebApp(chart, 'frontend', { image: IMAGE, loadBalancer: {} })).toThrow(/test\/frontend: invalid loadBalancer "frontend-external": a Service named "frontend-external" already exists/);
  });
});
