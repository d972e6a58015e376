import { App, Chart, Testing } from 'cdk8s';
import { NetworkPolicyBundle, reachabilityReport, SecureNamespace, WebApp } from '../src';
import '../src/testing';
import { findObject, synthValid } from './harness';

// allowFromCluster(to, port?): every namespace's pods may call one workload (Online Boutique's
// `ingress: - {}` for one app), on the receiver's side only.

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const AUTH = { 'app.kubernetes.io/name': 'auth', 'app.kubernetes.io/instance': 'auth' };

/** auth and admin in shop (default-deny), a caller in blog (default-deny ingress only). */
function cluster(open: (net: NetworkPolicyBundle, auth: WebApp) => void, denyByDefault = false): App {
  const app = Testing.app();
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault } });
  const auth = new WebApp(shop, 'auth', { image: IMAGE, ports: [{ name: 'admin', port: 9901, expose: false }] });
  new WebApp(shop, 'admin', { image: IMAGE });
  const blog = new Chart(app, 'blog', { namespace: 'blog' });
  new WebApp(blog, 'caller', { image: IMAGE });
  new NetworkPolicyBundle(blog, 'net', { defaultDeny: 'ingress' });
  open(new NetworkPolicyBundle(shop, 'net'), auth);
  return app;
}

const objectsOf = (app: App) => app.charts.flatMap(c => synthValid(c));

describe('NetworkPolicyBundle.allowFromCluster', () => {
  test('every namespace reaches the workload on its port, and nothing else opens (on main before this change: no such method)', () => {
    const app = cluster((net, auth) => net.allowFromCluster(auth));
    const objects = objectsOf(app);
    expect(findObject(objects, 'NetworkPolicy', 'auth-from-cluster').spec).toEqual({
      podSelector: { matchLabels: AUTH }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    // the caller in another namespace is allowed, the neighbour that was not opened stays closed
    expect(objects).toAllowTraffic('blog/caller', 'shop/auth', 8080);
    expect(objects).toDenyTraffic('blog/caller', 'shop/auth', 9901);
    expect(objects).toDenyTraffic('blog/caller', 'shop/admin', 8080);
    // the report shows callers from namespaces outside the manifests too
    expect(reachabilityReport(objects).lines).toEqual(expect.arrayContaining(['*/* → shop/auth:8080', 'blog/caller → shop/auth:8080']));
  });

  test('without it the caller is denied (the healthy twin of the drill above)', () => {
    const objects = objectsOf(cluster(() => undefined));
    expect(objects).toDenyTraffic('blog/caller', 'shop/auth', 8080);
    expect(reachabilityReport(objects).lines.filter(l => l.includes('→ shop/auth'))).toEqual([]);
  });

  test('a named port, and ports added by a second call, join one policy', () => {
    const objects = objectsOf(cluster((net, auth) => net.allowFromCluster(auth, 'admin').allowFromCluster(auth, 8080)));
    expect(findObject(objects, 'NetworkPolicy', 'auth-from-cluster').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 9901, protocol: 'TCP' }]);
  });

  test('in an Istio deny-by-default namespace: an ALLOW policy for any mesh identity on those ports', () => {
    const objects = objectsOf(cluster((net, auth) => net.allowFromCluster(auth), true));
    expect(findObject(objects, 'AuthorizationPolicy', 'auth-from-cluster').spec).toEqual({
      selector: { matchLabels: AUTH }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['*'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('fails on a port the workload does not listen on, naming its ports', () => {
    expect(() => cluster((net, auth) => net.allowFromCluster(auth, 9090))).toThrow(
      /^shop\/net: invalid allowFromCluster.port 9090: shop\/auth \("auth"\) does not listen on container port 9090, so the pods of every namespace cannot be allowed to it; it exposes 8080, 9901$/);
    expect(() => cluster((net, auth) => net.allowFromCluster(auth, 'metrics'))).toThrow(/invalid allowFromCluster.port "metrics": shop\/auth \("auth"\) declares no port named "metrics"/);
  });

  test('fails on something that is not a workload', () => {
    expect(() => cluster(net => net.allowFromCluster({ name: 'x' } as any))).toThrow(/invalid allowFromCluster.to/);
  });
});
