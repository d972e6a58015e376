import { EgressAllowance, NetworkPolicyBundle, reachabilityReport, SecureNamespace, SecureNamespaceProps, WebApp } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

// Egress to external DNS names: an Istio ServiceEntry (the mesh tells hosts apart) plus the
// NetworkPolicy egress the ports need (NetworkPolicies cannot select names), and the namespace's
// outbound policy that makes the registry the allow-list.

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const CHECKOUT = { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/instance': 'checkout' };
const PUBLIC = [
  { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } },
  { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
];

function shop(to: EgressAllowance, ns: Partial<SecureNamespaceProps> = {}): Manifest[] {
  const chart = chartIn();
  new SecureNamespace(chart, 'ns', { name: 'shop', ...ns });
  const checkout = new WebApp(chart, 'checkout', { image: IMAGE });
  new WebApp(chart, 'cart', { image: IMAGE });
  new NetworkPolicyBundle(chart, 'net').allowEgress(checkout, to);
  return synthValid(chart);
}

describe('allowEgress to external hosts', () => {
  test('writes a ServiceEntry for exact names (DNS) and one for wildcard names (NONE), exported to the namespace only', () => {
    const objects = shop({ hosts: ['api.stripe.com', '*.googleapis.com'], ports: [443] });
    expect(findObject(objects, 'ServiceEntry', 'egress-api.stripe.com').spec).toEqual({
      hosts: ['api.stripe.com'], exportTo: ['.'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }],
    });
    // Istio refuses DNS resolution of a wildcard host (istio/istio#17481): NONE forwards to the address the app resolved
    expect(findObject(objects, 'ServiceEntry', 'egress-wildcard.googleapis.com').spec).toMatchObject({ hosts: ['*.googleapis.com'], resolution: 'NONE' });
  });

  test('opens the ports to public addresses for that workload only, never to private ranges or the metadata endpoint', () => {
    const objects = shop({ hosts: ['api.stripe.com'], ports: [443] });
    expect(findObject(objects, 'NetworkPolicy', 'checkout-egress').spec).toEqual({
      podSelector: { matchLabels: CHECKOUT }, policyTypes: ['Egress'], egress: [{ to: PUBLIC, ports: [{ port: 443, protocol: 'TCP' }] }],
    });
    const lines = reachabilityReport(objects).lines;
    expect(lines).toContain('shop/checkout → 0.0.0.0/0 except 10.0.0.0/8,100.64.0.0/10,169.254.0.0/16,172.16.0.0/12,192.168.0.0/16:443');
    expect(lines.filter(l => l.startsWith('shop/cart →') && l.includes('0.0.0.0/0'))).toEqual([]);
  });

  test('the protocol follows the port (HTTP on 80, TCP elsewhere) unless hostProtocol says', () => {
    const objects = shop({ hosts: ['legacy.example.com'], ports: [80, 5432] });
    expect(findObject(objects, 'ServiceEntry', 'egress-legacy.example.com').spec.ports).toEqual([
      { number: 80, name: 'http-80', protocol: 'HTTP' }, { number: 5432, name: 'tcp-5432', protocol: 'TCP' },
    ]);
    const grpc = shop({ hosts: ['pubsub.googleapis.com'], ports: [8443], hostProtocol: 'TLS' });
    expect(findObject(grpc, 'ServiceEntry', 'egress-pubsub.googleapis.com').spec.ports).toEqual([{ number: 8443, name: 'tls-8443', protocol: 'TLS' }]);
  });

  test('the bundle-wide egress prop takes hosts too', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    new NetworkPolicyBundle(chart, 'net', { egress: [{ hosts: ['api.stripe.com'], ports: [443] }] });
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'net-egress').spec.egress).toEqual([{ to: PUBLIC, ports: [{ port: 443, protocol: 'TCP' }] }]);
    expect(findObject(objects, 'ServiceEntry', 'egress-api.stripe.com').metadata.namespace).toEqual('shop');
  });

  test('two workloads allowed the same hosts share one ServiceEntry; other ports get their own', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const a = new WebApp(chart, 'a', { image: IMAGE });
    const b = new WebApp(chart, 'b', { image: IMAGE });
    const net = new NetworkPolicyBundle(chart, 'net');
    net.allowEgress(a, { hosts: ['api.stripe.com'], ports: [443] }).allowEgress(b, { hosts: ['api.stripe.com'], ports: [443] });
    net.allowEgress(b, { hosts: ['api.stripe.com'], ports: [8443] });
    const entries = synthValid(chart).filter(o => o.kind === 'ServiceEntry');
    expect(entries).toHaveLength(2);
    expect(entries.map(e => e.spec.ports[0].number).sort()).toEqual([443, 8443]);
  });

  describe('fails', () => {
    const fails = (to: unknown, pattern: RegExp) => {
      const chart = chartIn();
      const checkout = new WebApp(chart, 'checkout', { image: IMAGE });
      expect(() => new NetworkPolicyBundle(chart, 'net').allowEgress(checkout, to as EgressAllowance)).toThrow(pattern);
    };
    test('when hosts come with a cidr or namespace', () => fails({ hosts: ['a.example.com'], cidr: '10.0.0.0/8', ports: [443] },
      /^test\/net: invalid allowEgress .*: must give exactly one of cidr, namespace or hosts/));
    test('when a host is not a DNS name, naming the fix', () => fails({ hosts: ['https://api.stripe.com/v1'], ports: [443] },
      /invalid allowEgress.hosts\[0\] "https:\/\/api.stripe.com\/v1": must be a bare DNS host name .*\(did you mean "api.stripe.com"\?\)/));
    test('when a wildcard host would be matched by port alone (plain TCP)', () => fails({ hosts: ['*.example.com'], ports: [5432] },
      /invalid allowEgress.hosts "\*.example.com": a wildcard host over plain TCP \(port 5432\) cannot be told from any other host/));
    test('when hosts go over UDP', () => fails({ hosts: ['ntp.example.com'], ports: [123], protocol: 'UDP' }, /invalid allowEgress.protocol "UDP": Istio does not proxy UDP/));
    test('when hostProtocol comes without hosts', () => fails({ cidr: '10.0.0.0/8', ports: [443], hostProtocol: 'TLS' }, /invalid allowEgress.hostProtocol "TLS": goes with hosts only/));
  });
});

describe('SecureNamespace outboundTraffic', () => {
  test('registry-only writes the Sidecar default with REGISTRY_ONLY; allow-any (the default) writes none', () => {
    const objects = shop({ hosts: ['api.stripe.com'], ports: [443] }, { outboundTraffic: 'registry-only' });
    const sidecar = findObject(objects, 'Sidecar', 'default');
    expect(sidecar.apiVersion).toEqual('networking.istio.io/v1beta1');
    expect(sidecar.metadata.namespace).toEqual('shop');
    expect(sidecar.spec).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(shop({ hosts: ['api.stripe.com'], ports: [443] }).filter(o => o.kind === 'Sidecar')).toEqual([]);
  });

  test('fails without sidecars to enforce it', () => {
    expect(() => new SecureNamespace(chartIn(), 'ns', { name: 'shop', istio: { injection: false }, outboundTraffic: 'registry-only' })).toThrow(
      /^test\/ns: invalid outboundTraffic "registry-only": is enforced by the Istio sidecars, and this namespace has none/);
    expect(() => new SecureNamespace(chartIn(), 'ns', { name: 'shop', istio: false, outboundTraffic: 'registry-only' })).toThrow(/invalid outboundTraffic/);
  });
});
