import { App, Chart, Testing } from 'cdk8s';
import { HttpsGateway, NetworkPolicyBundle, SecureNamespace, ServiceLevelObjective, WebApp } from '../src';
import { findObject, Manifest, synthValid } from './harness';

// A chart without a namespace is placed when it is applied (ArgoCD's destination, kubectl's
// context): another object naming its namespace would have to guess `default`.

function twoCharts(): { app: App; shop: Chart; plain: Chart } {
  const app = Testing.app();
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const plain = new Chart(app, 'plain');
  new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  return { app, shop, plain };
}

const NO_NAMESPACE = /which sets no namespace \(it is chosen when the chart is applied\), so no namespace can be written for it; give that chart a namespace \(new Chart\(app, id, \{ namespace \}\)\)/;

describe('objects that would name the namespace of a chart without one', () => {
  test('fails when allow() crosses from a chart without a namespace (the receiver\'s policies would select namespace "default")', () => {
    // GIVEN
    const { shop, plain } = twoCharts();
    const web = new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    const tool = new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0' });
    // WHEN / THEN
    expect(() => new NetworkPolicyBundle(shop, 'net').allow(tool, web))
      .toThrow(/^shop\/net: invalid allow\.from "plain\/tool": shop\/web's policies in namespace "shop" must name the namespace of plain\/tool, but plain\/tool is in chart plain, /);
    expect(() => new NetworkPolicyBundle(shop, 'net2').allow(web, tool)).toThrow(NO_NAMESPACE);
  });

  test('fails when allowFromGateway opens a workload of a chart without a namespace to a gateway of another namespace', () => {
    // GIVEN a gateway in shop accepting routes from anywhere, and a routed app in a chart without a namespace
    const { shop, plain } = twoCharts();
    const gateway = new HttpsGateway(shop, 'public', { hosts: ['shop.example.com'], allowedRoutes: 'All' });
    new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0', route: { gateway, hosts: ['shop.example.com'] } });
    // WHEN / THEN: the gateway's egress policy in shop would select namespace "default"
    expect(() => new NetworkPolicyBundle(plain, 'net', { allowFromGateway: gateway }))
      .toThrow(/^plain\/net: invalid allowFromGateway "plain\/tool": the gateway's egress policy in namespace "shop" must name the namespace of plain\/tool, /);
  });

  test('fails when a route of a namespace attaches to an HttpsGateway of a chart without one (the parentRef would name "default")', () => {
    const { shop, plain } = twoCharts();
    const gateway = new HttpsGateway(plain, 'public', { hosts: ['shop.example.com'], allowedRoutes: 'All' });
    expect(() => new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0', route: { gateway, hosts: ['shop.example.com'] } }))
      .toThrow(/^shop\/web: invalid route\.gateway "plain\/public": the route's parentRef must name the gateway's namespace, but plain\/public is in chart plain, /);
  });

  test('fails when a ServiceLevelObjective targets a workload of a chart without a namespace (its PromQL would match namespace "default")', () => {
    const { shop, plain } = twoCharts();
    const tool = new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0' });
    expect(() => new ServiceLevelObjective(shop, 'tool-slo', { target: tool, availability: 99 }))
      .toThrow(/^shop\/tool-slo: invalid target "plain\/tool": the objective's queries must name the target's namespace, but plain\/tool is in chart plain, /);
    expect(() => new ServiceLevelObjective(plain, 'tool-slo', { target: tool, availability: 99 })).toThrow(NO_NAMESPACE);
  });

  test('fails when a ServiceLevelObjective is in a chart without a namespace (its series would be labelled slo_namespace="default")', () => {
    const { plain } = twoCharts();
    expect(() => new ServiceLevelObjective(plain, 'tool-slo', { target: { name: 'tool', namespace: 'tools' }, availability: 99 }))
      .toThrow(/^plain\/tool-slo: invalid scope "plain\/tool-slo": the objective labels its recorded series with its own namespace \(slo_namespace\) to keep them apart from other namespaces' objectives, but plain\/tool-slo is in chart plain, /);
  });

  test('inside a chart without a namespace, nothing says "default"', () => {
    // GIVEN a namespace-less chart: its own flows, a gateway and route of its own
    const { app, plain } = twoCharts();
    const gateway = new HttpsGateway(plain, 'public', { hosts: ['tool.example.com'] });
    const tool = new WebApp(plain, 'tool', { image: 'ghcr.io/acme/tool:1.0.0', route: { gateway, hosts: ['tool.example.com'] } });
    const cli = new WebApp(plain, 'cli', { image: 'ghcr.io/acme/cli:1.0.0' });
    new NetworkPolicyBundle(plain, 'net', { allowFromGateway: gateway }).allow(cli, tool);
    // WHEN
    const objects: Manifest[] = synthValid(app).filter(o => o.metadata.namespace !== 'shop' && o.kind !== 'Namespace');
    // THEN
    expect(findObject(objects, 'NetworkPolicy', 'tool-from-cli').spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: expect.any(Object) } }]);
    expect(findObject(objects, 'HTTPRoute', 'tool').spec.parentRefs[0].namespace).toBeUndefined();
    expect(objects.filter(o => JSON.stringify(o.spec ?? {}).includes('"default"') || JSON.stringify(o.spec ?? {}).includes('\\"default\\"')).map(o => o.metadata.name)).toEqual([]);
  });
});

describe('a SecureNamespace in a chart without a namespace', () => {
  // on main before this change: the namespace's own policies went to "shop", the workloads and
  // the bundle's policies beside it carried no namespace, and a second default-deny was written
  test('fails naming the fix', () => {
    const plain = new Chart(Testing.app(), 'plain');
    expect(() => new SecureNamespace(plain, 'ns', { name: 'shop' }))
      .toThrow(/^plain\/ns: invalid name "shop": is declared in chart plain, which sets no namespace, so the workloads and policies beside it would not be in "shop"; give the chart the namespace \(new Chart\(app, "plain", \{ namespace: "shop" \}\)\)$/);
  });

  test('the healthy twin: a chart of its namespace', () => {
    const shop = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(shop, 'ns', { name: 'shop' });
    new WebApp(shop, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    expect(synthValid(shop).filter(o => o.metadata.name === 'default-deny').map(o => o.metadata.namespace)).toEqual(['shop']);
  });
});
