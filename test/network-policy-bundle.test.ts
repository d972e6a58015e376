import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { INetworkPeer, NetworkPolicyBundle, NetworkPolicyBundleProps, reachabilityReport, ScheduledJob, SecureNamespace, WebApp, Worker } from '../src';
import { chartIn, findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/app:1.0.0';

function policies(objects: Manifest[]): string[] {
  return objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.name).sort();
}

function synthBundle(props: NetworkPolicyBundleProps = {}): Manifest[] {
  const chart = chartIn();
  new NetworkPolicyBundle(chart, 'net', props);
  return synthValid(chart);
}

/** A workload of another kind than WebApp, listening on two container ports. */
class TwoPortPeer extends Construct implements INetworkPeer {
  public readonly name = 'metrics-gateway';
  public readonly namespace = 'shop';
  public readonly selector = { 'app.kubernetes.io/name': 'metrics-gateway' };
  public readonly port = 8080;
  public readonly containerPorts = [8080, 9090];
  public readonly serviceAccountName = 'metrics-gateway';
}

describe('NetworkPolicyBundle defaults', () => {
  // GIVEN a bundle with no props
  const objects = synthBundle();

  test('denies all ingress and egress and allows DNS, nothing else', () => {
    expect(policies(objects)).toEqual(['allow-dns', 'default-deny']);
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(findObject(objects, 'NetworkPolicy', 'allow-dns').spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  test('labels policies with the recommended labels', () => {
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').metadata.labels).toEqual({
      'app.kubernetes.io/name': 'shop',
      'app.kubernetes.io/instance': 'default-deny',
      'app.kubernetes.io/component': 'network-policy',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cloudnative-constructs',
    });
  });
});

describe('NetworkPolicyBundle options', () => {
  test('defaultDeny ingress denies only ingress, and emits no DNS allowance (egress is open)', () => {
    const objects = synthBundle({ defaultDeny: 'ingress' });
    expect(policies(objects)).toEqual(['default-deny']);
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec.policyTypes).toEqual(['Ingress']);
  });

  test('defaultDeny egress denies only egress, with DNS', () => {
    const objects = synthBundle({ defaultDeny: 'egress' });
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec.policyTypes).toEqual(['Egress']);
    expect(policies(objects)).toEqual(['allow-dns', 'default-deny']);
  });

  test('defaultDeny none emits nothing: allowances alone would isolate the pods they select', () => {
    expect(synthBundle({ defaultDeny: 'none', allowSameNamespace: true, allowMonitoring: true, egress: [{ cidr: '10.0.0.0/8', ports: [443] }] })).toEqual([]);
  });

  test('allowDns false drops the DNS allowance', () => {
    expect(policies(synthBundle({ allowDns: false }))).toEqual(['default-deny']);
  });

  test('allowSameNamespace opens ingress from and egress to the namespace\'s own pods', () => {
    const objects = synthBundle({ allowSameNamespace: true });
    expect(findObject(objects, 'NetworkPolicy', 'allow-same-namespace').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(findObject(objects, 'NetworkPolicy', 'allow-same-namespace-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] });
  });

  test('allowMonitoring true allows scraping from the monitoring namespace on any port', () => {
    expect(findObject(synthBundle({ allowMonitoring: true }), 'NetworkPolicy', 'allow-monitoring').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }],
    });
  });

  test('allowMonitoring with a namespace and port', () => {
    const rule = findObject(synthBundle({ allowMonitoring: { namespace: 'prometheus', port: 9090 } }), 'NetworkPolicy', 'allow-monitoring').spec.ingress[0];
    expect(rule).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prometheus' } } }], ports: [{ port: 9090, protocol: 'TCP' }] });
  });

  test('egress rules to CIDRs and namespaces on given ports, in one policy named after the bundle', () => {
    const objects = synthBundle({ egress: [{ cidr: '10.20.0.0/16', ports: [5432] }, { namespace: 'payments', ports: [8080, 8443] }, { cidr: '2001:db8::/32', ports: [514], protocol: 'UDP' }] });
    expect(findObject(objects, 'NetworkPolicy', 'net-egress').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8443, protocol: 'TCP' }] },
        { to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 514, protocol: 'UDP' }] },
      ],
    });
  });

  test('egress rules are emitted only where egress is denied', () => {
    expect(policies(synthBundle({ defaultDeny: 'ingress', egress: [{ cidr: '10.0.0.0/8', ports: [443] }] }))).toEqual(['default-deny']);
  });
});

describe('NetworkPolicyBundle allowFromIngressController', () => {
  test('true: every app with an Ingress, on its container port (not the Service port)', () => {
    // GIVEN a web app with an Ingress, Service port 80 → container 8080, and an internal api
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, servicePort: 80, port: 8080, ingress: { host: 'shop.example.com' } });
    new WebApp(chart, 'api', { image: IMAGE });
    // WHEN
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true });
    // THEN
    const objects = synthValid(chart);
    expect(policies(objects)).toEqual(['allow-dns', 'default-deny', 'web-from-ingress-controller']);
    expect(findObject(objects, 'NetworkPolicy', 'web-from-ingress-controller').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('namespace and to: only the apps given, from the given namespace', () => {
    const chart = chartIn();
    new WebApp(chart, 'web', { image: IMAGE, ingress: { host: 'shop.example.com' } });
    const api = new WebApp(chart, 'api', { image: IMAGE, port: 9000 });
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: { namespace: 'traefik', to: [api] } });
    const policy = findObject(synthValid(chart), 'NetworkPolicy', 'api-from-ingress-controller');
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ port: 9000, protocol: 'TCP' }] }]);
  });

  test.each([['namespace first', true], ['bundle first', false]])('in an Istio deny-by-default namespace (%s), also allows the controller\'s namespace at L7', (_, namespaceFirst) => {
    const chart = chartIn();
    if (namespaceFirst) new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new WebApp(chart, 'web', { image: IMAGE, servicePort: 80, ingress: { host: 'shop.example.com' } });
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true });
    if (!namespaceFirst) new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    expect(findObject(synthValid(chart), 'AuthorizationPolicy', 'web-from-ingress-controller').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['ingress-nginx'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('in an Istio deny-by-default namespace, same-namespace and monitoring allowances also hold at L7', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new WebApp(chart, 'web', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net', { allowSameNamespace: true, allowMonitoring: { namespace: 'prometheus', port: 9090 } });
    const objects = synthValid(chart);
    expect(findObject(objects, 'AuthorizationPolicy', 'allow-same-namespace').spec).toEqual({
      action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['shop'] } }] }],
    });
    expect(findObject(objects, 'AuthorizationPolicy', 'allow-monitoring').spec).toEqual({
      action: 'ALLOW', rules: [{ from: [{ source: { namespaces: ['prometheus'] } }], to: [{ operation: { ports: ['9090'] } }] }],
    });
  });

  test('writes no AuthorizationPolicy for the controller when the mesh is not deny-by-default', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    new WebApp(chart, 'web', { image: IMAGE, ingress: { host: 'shop.example.com' } });
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true });
    expect(synthValid(chart).filter(o => o.kind === 'AuthorizationPolicy')).toEqual([]);
  });

  test('fails when an app with an Ingress is created after a bundle that should cover it', () => {
    const chart = chartIn();
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true });
    new WebApp(chart, 'web', { image: IMAGE, ingress: { host: 'shop.example.com' } });
    expect(() => synthValid(chart)).toThrow(/test\/net: invalid allowFromIngressController true: test\/web has an Ingress but was created after the bundle/);
  });
});

describe('NetworkPolicyBundle.allow', () => {
  test('opens ingress on the receiver and egress on the sender, on the receiver\'s container port', () => {
    // GIVEN web and an api whose Service port 80 targets container port 8080
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE, servicePort: 80, port: 8080 });
    // WHEN
    new NetworkPolicyBundle(chart, 'net').allow(web, api);
    // THEN
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'api-from-web').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(findObject(objects, 'NetworkPolicy', 'web-to-api').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('declaring the same flow on another port adds the port to the same policies', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const gateway = new TwoPortPeer(chart, 'gw');
    const bundle = new NetworkPolicyBundle(chart, 'net');
    bundle.allow(web, gateway).allow(web, gateway, 9090).allow(web, gateway, 8080);
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'metrics-gateway-from-web').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }]);
    expect(findObject(objects, 'NetworkPolicy', 'web-to-metrics-gateway').spec.egress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 9090, protocol: 'TCP' }]);
  });

  test('only the ingress side where only ingress is denied', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net', { defaultDeny: 'ingress' }).allow(web, api);
    expect(policies(synthValid(chart))).toEqual(['api-from-web', 'default-deny']);
  });

  test('across namespaces: ingress in the receiver\'s namespace from the sender\'s, egress in the sender\'s', () => {
    // GIVEN web in shop and payments in its own namespace, each with a bundle
    const app = Testing.app();
    const shop = chartIn('shop', app, 'shop');
    const pay = chartIn('payments', app, 'payments');
    const web = new WebApp(shop, 'web', { image: IMAGE });
    const payments = new WebApp(pay, 'payments', { image: IMAGE, port: 8443 });
    new NetworkPolicyBundle(pay, 'net');
    // WHEN
    new NetworkPolicyBundle(shop, 'net').allow(web, payments);
    // THEN
    const objects = synthValid(app);
    const ingress = findObject(objects, 'NetworkPolicy', 'payments-from-shop-web');
    expect(ingress.metadata.namespace).toEqual('payments');
    expect(ingress.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }],
      ports: [{ port: 8443, protocol: 'TCP' }],
    }]);
    const egress = findObject(objects, 'NetworkPolicy', 'web-to-payments-payments');
    expect(egress.metadata.namespace).toEqual('shop');
    expect(egress.spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'payments' } });
  });

  test('across namespaces: each policy is written into the chart of the namespace it protects (the Application syncing it owns it)', () => {
    // GIVEN shop and payments, both Istio deny-by-default, in charts of their own
    const app = Testing.app();
    const shop = chartIn('shop', app, 'shop');
    const pay = chartIn('payments', app, 'payments');
    new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    new SecureNamespace(pay, 'ns', { name: 'payments', istio: { denyByDefault: true } });
    const web = new WebApp(shop, 'web', { image: IMAGE });
    const payments = new WebApp(pay, 'payments', { image: IMAGE });
    // WHEN the shop's bundle opens the flow and lets the ingress controller reach payments
    new NetworkPolicyBundle(shop, 'net', { allowFromIngressController: { to: [payments] } }).allow(web, payments);
    // THEN the receiver's side is in the receiver's chart, the sender's side in the sender's
    synthValid(app);
    const names = (chart: Chart) => Testing.synth(chart).filter(o => /Policy$/.test(o.kind)).map(o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(names(pay)).toEqual(expect.arrayContaining([
      'NetworkPolicy/payments/payments-from-shop-web', 'AuthorizationPolicy/payments/payments-from-shop-web',
      'NetworkPolicy/payments/payments-from-ingress-controller', 'AuthorizationPolicy/payments/payments-from-ingress-controller',
    ]));
    expect(names(shop)).toContain('NetworkPolicy/shop/web-to-payments-payments');
    expect(names(shop).filter(n => n.includes('/payments/'))).toEqual([]);
    expect(names(pay).filter(n => n.includes('/shop/'))).toEqual([]);
  });

  test.each([['namespace first', true], ['bundle first', false]])('with an Istio deny-by-default namespace (%s), also allows the sender\'s ServiceAccount at L7', (_, namespaceFirst) => {
    const chart = chartIn();
    if (namespaceFirst) new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    const web = new WebApp(chart, 'web', { image: IMAGE, serviceAccount: { name: 'storefront' } });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net').allow(web, api);
    if (!namespaceFirst) new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    const policy = findObject(synthValid(chart), 'AuthorizationPolicy', 'api-from-web');
    expect(policy.apiVersion).toEqual('security.istio.io/v1beta1');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/storefront'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('no AuthorizationPolicy when the mesh is not deny-by-default', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net').allow(web, api);
    expect(synthValid(chart).filter(o => o.kind === 'AuthorizationPolicy')).toEqual([]);
  });

  test('snapshot', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE, servicePort: 80, ingress: { host: 'shop.example.com' } });
    const api = new WebApp(chart, 'api', { image: IMAGE });
    new NetworkPolicyBundle(chart, 'net', { allowFromIngressController: true, allowMonitoring: { port: 9090 }, egress: [{ cidr: '10.20.0.0/16', ports: [5432] }] }).allow(web, api);
    expect(synthValid(chart).filter(o => o.kind === 'NetworkPolicy')).toMatchSnapshot();
  });
});

describe('NetworkPolicyBundle derived names', () => {
  test('a policy named after long app and namespace names keeps its name, with an instance label of at most 63 characters', () => {
    // GIVEN a 40-character sender and receiver in different namespaces
    const app = Testing.app();
    const shop = chartIn('shop', app, 'shop');
    const pay = chartIn('payments', app, 'payments');
    const web = new WebApp(shop, 'web', { name: `web-${'w'.repeat(36)}`, image: IMAGE });
    const api = new WebApp(pay, 'api', { name: `api-${'a'.repeat(36)}`, image: IMAGE });
    new NetworkPolicyBundle(pay, 'net');
    // WHEN
    new NetworkPolicyBundle(shop, 'net').allow(web, api);
    // THEN
    const policy = findObject(synthValid(app), 'NetworkPolicy', `${api.name}-from-shop-${web.name}`);
    const instance = policy.metadata.labels['app.kubernetes.io/instance'];
    expect(instance.length).toEqual(63);
    expect(instance).toMatch(/^api-a{36}-from-shop-web-[0-9a-f]{8}$/);
  });

  test('two flows whose derived names coincide get distinct policies, both effective', () => {
    // GIVEN apps whose names make "<to>-from-<from>" ambiguous
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const apiFromWeb = new WebApp(chart, 'api-from-web', { image: IMAGE });
    const webFromApi = new WebApp(chart, 'web-from-api', { image: IMAGE });
    // WHEN both flows would be named web-from-api-from-web
    new NetworkPolicyBundle(chart, 'net').allow(apiFromWeb, web).allow(web, webFromApi);
    // THEN the second gets a hash suffix, and the report shows both flows
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'web-from-api-from-web').spec.podSelector.matchLabels['app.kubernetes.io/name']).toEqual('web');
    const second = objects.filter(o => o.kind === 'NetworkPolicy' && /^web-from-api-from-web-[0-9a-f]{8}$/.test(o.metadata.name));
    expect(second.map(o => o.spec.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['web-from-api']);
    expect(reachabilityReport(objects).lines).toEqual(expect.arrayContaining(['shop/api-from-web → shop/web:8080', 'shop/web → shop/web-from-api:8080']));
  });
});

describe('NetworkPolicyBundle bad input', () => {
  const make = (props: NetworkPolicyBundleProps) => () => new NetworkPolicyBundle(chartIn(), 'net', props);

  test('fails when an option is not of its type', () => {
    expect(make({ allowMonitoring: 'yes' as never })).toThrow(/test\/net: invalid allowMonitoring "yes": must be true, false or an object \{ namespace\?, port\?, name\? \}/);
    expect(make({ allowFromIngressController: [] as never })).toThrow(/test\/net: invalid allowFromIngressController \[\]: must be true, false or an object \{ namespace\?, to\? \}/);
    expect(make({ allowFromIngressController: { to: 'web' as never } })).toThrow(/test\/net: invalid allowFromIngressController.to "web": must be a list \(each a WebApp, a CanaryRelease, a ProgressiveRelease, a Worker, a StatefulApp, a ScheduledJob or another workload of this library\)/);
    expect(make([] as never)).toThrow(/test\/net: invalid props \[\]: must be an object/);
  });

  test('fails when a CIDR is invalid or lacks its prefix length', () => {
    expect(make({ egress: [{ cidr: '10.0.0.1', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.cidr "10\.0\.0\.1": the prefix length is missing: did you mean "10\.0\.0\.1\/32"\?/);
    expect(make({ egress: [{ cidr: '300.0.0.0/8', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.cidr "300\.0\.0\.0\/8": must be a CIDR block/);
    expect(make({ egress: [{ cidr: '10.0.0.0/33', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.cidr "10\.0\.0\.0\/33": the prefix length must be an integer between 0 and 32/);
    expect(make({ egress: [{ cidr: 'example.com/24', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.cidr "example\.com\/24"/);
    expect(make({ egress: [{ cidr: '10.1.2.3/16', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.cidr "10\.1\.2\.3\/16": the address has bits set beyond the \/16 prefix \(host bits\), .*did you mean "10\.1\.0\.0\/16"\?/);
    expect(make({ egress: [{ cidr: '2001:db8::1/32', ports: [443] }] })).toThrow(/invalid egress\[0\]\.cidr "2001:db8::1\/32": .*did you mean "2001:db8::\/32"\?/);
  });

  test('fails when a port is outside 1–65535', () => {
    expect(make({ egress: [{ cidr: '10.0.0.0/8', ports: [443, 70000] }] })).toThrow(/test\/net: invalid egress\[0\]\.ports\[1\] 70000: must be an integer port number between 1 and 65535/);
    expect(make({ egress: [{ namespace: 'db', ports: [0] }] })).toThrow(/test\/net: invalid egress\[0\]\.ports\[0\] 0: must be an integer port number/);
    expect(make({ allowMonitoring: { port: -1 } })).toThrow(/test\/net: invalid allowMonitoring\.port -1: must be an integer port number/);
  });

  test('fails when an egress rule names both or neither destination, or no port', () => {
    expect(make({ egress: [{ cidr: '10.0.0.0/8', namespace: 'db', ports: [5432] }] })).toThrow(/test\/net: invalid egress\[0\] .*must give exactly one of cidr, namespace or hosts/);
    expect(make({ egress: [{ ports: [5432] }] })).toThrow(/test\/net: invalid egress\[0\] .*must give exactly one of cidr, namespace or hosts/);
    expect(make({ egress: [{ namespace: 'db', ports: [] }] })).toThrow(/test\/net: invalid egress\[0\]\.ports \[\]: must list at least one destination port/);
  });

  test('fails when a namespace name is invalid', () => {
    expect(make({ egress: [{ namespace: 'Payments', ports: [443] }] })).toThrow(/test\/net: invalid egress\[0\]\.namespace "Payments": must be a DNS-1123 label/);
    expect(make({ allowFromIngressController: { namespace: 'ingress_nginx' } })).toThrow(/test\/net: invalid allowFromIngressController\.namespace "ingress_nginx"/);
  });

  test('fails when defaultDeny is unknown', () => {
    expect(make({ defaultDeny: 'everything' as never })).toThrow(/test\/net: invalid defaultDeny "everything": must be one of "all", "ingress", "egress", "none"/);
  });

  test('fails when allow() targets a port the receiver does not expose, naming both ends', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const api = new WebApp(chart, 'api', { image: IMAGE, servicePort: 80, port: 8080 });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => bundle.allow(web, api, 9999)).toThrow(/test\/net: invalid allow\.port 9999: test\/api \("api"\) does not listen on container port 9999, so test\/web \("web"\) cannot be allowed to it; it exposes 8080/);
    expect(() => bundle.allow(web, api, 80)).toThrow(/invalid allow\.port 80: .*80 is its Service port; NetworkPolicy ports are container ports: use 8080/);
    expect(() => bundle.allow(web, api, 0)).toThrow(/test\/net: invalid allow\.port 0: must be an integer port number between 1 and 65535/);
  });

  test('fails when allow() is given something that is not a workload', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => bundle.allow(web, new Construct(chart, 'thing') as never)).toThrow(/test\/net: invalid allow\.to "test\/thing": must be a WebApp, a CanaryRelease, a ProgressiveRelease, a Worker, a StatefulApp, a ScheduledJob or another workload of this library, or a cdk8s-plus 2.x Deployment or StatefulSet \(any major\)/);
    expect(() => bundle.allow(undefined as never, web)).toThrow(/test\/net: invalid allow\.from undefined/);
  });
});

describe('NetworkPolicyBundle.allowEgress', () => {
  const IMAGE_WORKER = 'ghcr.io/acme/worker:1.0.0';

  test('opens egress to a CIDR and a namespace for one workload only, gathering its rules in one policy', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const worker = new Worker(chart, 'worker', { image: IMAGE_WORKER });
    new NetworkPolicyBundle(chart, 'net')
      .allowEgress(worker, { cidr: '10.20.0.0/16', ports: [5432] })
      .allowEgress(worker, { namespace: 'payments', ports: [8443], protocol: 'TCP' })
      .allowEgress(worker, { cidr: '10.20.0.0/16', ports: [5432] });
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'worker-egress').spec).toEqual({
      podSelector: { matchLabels: worker.selector },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }], ports: [{ port: 8443, protocol: 'TCP' }] },
      ],
    });
    const lines = reachabilityReport(chart).lines;
    expect(lines).toContain('shop/worker → 10.20.0.0/16:5432');
    expect(lines.filter(l => l.startsWith(`shop/${web.name} → 10.`))).toEqual([]);
  });

  test('writes nothing where egress is not denied', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: IMAGE_WORKER });
    new NetworkPolicyBundle(chart, 'net', { defaultDeny: 'ingress' }).allowEgress(worker, { cidr: '10.0.0.0/8', ports: [443] });
    expect(policies(synthValid(chart))).toEqual(['default-deny']);
  });

  test('fails when the CIDR has host bits set, suggesting the network', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: IMAGE_WORKER });
    expect(() => new NetworkPolicyBundle(chart, 'net').allowEgress(worker, { cidr: '192.168.1.77/24', ports: [443] }))
      .toThrow(/test\/net: invalid allowEgress\.cidr "192\.168\.1\.77\/24": the address has bits set beyond the \/24 prefix \(host bits\), so it is not the network address of the block: did you mean "192\.168\.1\.0\/24"\?/);
  });

  test('fails on a rule without a destination, without ports, or from something that is not a workload', () => {
    const chart = chartIn();
    const worker = new Worker(chart, 'worker', { image: IMAGE_WORKER });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => bundle.allowEgress(worker, { ports: [443] })).toThrow(/test\/net: invalid allowEgress \{"ports":\[443\]\}: must give exactly one of cidr, namespace or hosts/);
    expect(() => bundle.allowEgress(worker, { cidr: '10.0.0.0/8', ports: [] })).toThrow(/invalid allowEgress\.ports \[\]: must list at least one destination port/);
    expect(() => bundle.allowEgress(new Construct(chart, 'thing') as never, { cidr: '10.0.0.0/8', ports: [443] })).toThrow(/test\/net: invalid allowEgress\.from "test\/thing": must be a WebApp/);
  });
});

describe('allow() with workers and jobs', () => {
  test('fails when the receiver declares no port', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const job = new ScheduledJob(chart, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '@daily' });
    const worker = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    const bundle = new NetworkPolicyBundle(chart, 'net');
    expect(() => bundle.allow(web, job)).toThrow(/test\/net: invalid allow\.port undefined: test\/report \("report"\) declares no port, so test\/web \("web"\) cannot be allowed to it/);
    expect(() => bundle.allow(web, worker, 8080)).toThrow(/test\/net: invalid allow\.port 8080: test\/worker \("worker"\) does not listen on container port 8080, .*it declares no port/);
  });

  test('a worker with a port receives on it', () => {
    const chart = chartIn();
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const worker = new Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', port: 9090 });
    new NetworkPolicyBundle(chart, 'net').allow(web, worker);
    expect(findObject(synthValid(chart), 'NetworkPolicy', 'worker-from-web').spec.ingress[0].ports).toEqual([{ port: 9090, protocol: 'TCP' }]);
  });
});

describe('allow() to a port no Service exposes, under STRICT mTLS', () => {
  // Istio: a connection to a pod IP that matches no Service goes through the sender's sidecar as
  // plain TCP (PassthroughCluster; https://istio.io/latest/docs/ops/configuration/traffic-management/traffic-routing/#unmatched-traffic),
  // and a STRICT PeerAuthentication makes the receiver's sidecar refuse plain text. On main before
  // this change every one of these synthesised, and the policies and the report said open.
  function world(receiver: (chart: Chart) => INetworkPeer, port: number, istio: false | { mtls: 'STRICT' | 'PERMISSIVE' } = { mtls: 'STRICT' }, extra?: (chart: Chart) => void) {
    const chart = chartIn();
    new SecureNamespace(chart, 'ns', { name: 'shop', istio });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const to = receiver(chart);
    extra?.(chart);
    new NetworkPolicyBundle(chart, 'net').allow(web, to, port);
    return () => synthValid(chart);
  }
  const worker = (chart: Chart) => new Worker(chart, 'worker', { image: IMAGE, port: 9000 });
  const job = (chart: Chart) => new ScheduledJob(chart, 'report', { image: IMAGE, schedule: '@daily', port: 9000 });
  const hidden = (chart: Chart) => new WebApp(chart, 'api', { image: IMAGE, ports: [{ name: 'admin', port: 9000, expose: false }] });
  const message = (to: string) => new RegExp(`test/net: invalid allow\\.port 9000: allow\\(test/web, test/${to}, 9000\\) opens a port that no Service of test/${to} exposes, and namespace "shop" \\(test/ns\\) enforces STRICT mTLS: "web" can only dial the pod IP.*Expose the port on a Service .*or accept plain text on it with a PeerAuthentication selecting the pods with portLevelMtls \\{ "9000": \\{ mode: "PERMISSIVE" \\} \\}, as metrics does`);

  test.each([
    ['a Worker\'s port', worker, 'worker'],
    ['a ScheduledJob\'s port', job, 'report'],
    ['a port with expose: false', hidden, 'api'],
  ] as const)('fails for %s', (_case, receiver, name) => {
    expect(world(receiver, 9000)).toThrow(message(name));
  });

  test('stays quiet on a port a Service exposes, in a PERMISSIVE namespace, outside the mesh, and on a port opened PERMISSIVE', () => {
    expect(world(chart => new WebApp(chart, 'api', { image: IMAGE, port: 9000 }), 9000)).not.toThrow();
    expect(world(chart => new WebApp(chart, 'api', { image: IMAGE, ports: [{ name: 'admin', port: 9000 }] }), 9000)).not.toThrow();
    expect(world(worker, 9000, { mtls: 'PERMISSIVE' })).not.toThrow();
    expect(world(worker, 9000, false)).not.toThrow();
    // the fix the error names: a port-level PERMISSIVE PeerAuthentication selecting the pods
    expect(world(worker, 9000, { mtls: 'STRICT' }, chart => new ApiObject(chart, 'open-admin', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'worker-admin' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } }, portLevelMtls: { 9000: { mode: 'PERMISSIVE' } } },
    }))).not.toThrow();
    // a metrics port, which the library opens PERMISSIVE itself
    expect(world(chart => new Worker(chart, 'worker', { image: IMAGE, port: 8080, metrics: { port: 9000 } }), 9000)).not.toThrow();
  });
});
