import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { HttpsGateway, NetworkPolicyBundle, reachabilityReport, SecureNamespace, SecureNamespaceProps, WebApp } from '../src';
import { findObject, synthValid } from './harness';
import { applyDeploymentOverlays, istioGatewayDeployment, SECCOMP_OVERLAY } from '../src/internal/gateway/istio-gateway-deployment';
import { podSecurityProblems } from '../src/testing/pod-security';

// The pods Istio deploys for an HttpsGateway (class `istio`), as Istio's gateway deployment
// controller renders them: istio/istio manifests/charts/istio-control/istio-discovery/files/
// kube-gateway.yaml (commit 86c9f01f) — a Deployment `<name>-istio` of full proxies (`proxy
// router`, labelled `sidecar.istio.io/inject: "false"`), ServiceAccount `<name>-istio`, istiod at
// `istiod.istio-system.svc:15012` (CA_ADDR), a pod securityContext with only the sysctl
// `net.ipv4.ip_unprivileged_port_start` and, with the chart's default `gateways.seccompProfile: {}`,
// no seccomp profile. Overlays come from the ConfigMap named by `spec.infrastructure.parametersRef`
// (key `deployment`, strategic merge patch; pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go).
// https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment

const IMAGE = 'ghcr.io/acme/app:1.0.0';
const GATEWAY_PODS = { 'gateway.networking.k8s.io/gateway-name': 'public' };

/** An edge namespace holding the gateway, and a shop namespace (STRICT mTLS) serving through it. */
interface Platform { app: App; edge: Chart; gateway: HttpsGateway }
function platform(edge: Partial<SecureNamespaceProps>, gatewayProps: { controlPlaneNamespace?: string } = {}): Platform {
  const app = Testing.app();
  const edgeChart = new Chart(app, 'edge', { namespace: 'edge' });
  new SecureNamespace(edgeChart, 'ns', { name: 'edge', ...edge });
  const gateway = new HttpsGateway(edgeChart, 'public', { hosts: ['shop.example.com'], allowedRoutes: 'All', ...gatewayProps });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  // STRICT mTLS and deny-by-default: only a mesh identity gets in
  new SecureNamespace(shop, 'ns', { name: 'shop', istio: { denyByDefault: true } });
  new WebApp(shop, 'web', { image: IMAGE, port: 8080, route: { gateway, hosts: ['shop.example.com'] } });
  new NetworkPolicyBundle(shop, 'net', { allowFromGateway: gateway });
  return { app, edge: edgeChart, gateway };
}

describe('HttpsGateway pods are Istio proxies whatever the namespace\'s injection', () => {
  test.each([
    ['istio: false', { istio: false as const }],
    ['injection: false', { istio: { injection: false } }],
  ])('with %s, the gateway pods reach istiod on 15012 and the routed app, and nothing says they lack sidecars', (_, edge) => {
    // on main before this change: no egress to istiod (the namespace's allow-istiod exists only
    // with injection), and synthesis failed: "public" runs in namespace "edge" without Istio
    // sidecars … shop enforces STRICT mTLS
    const { app } = platform(edge);
    const objects = synthValid(app);
    expect(findObject(objects, 'NetworkPolicy', 'public-to-istiod').spec).toEqual({
      podSelector: { matchLabels: GATEWAY_PODS },
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
        ports: [{ port: 15012, protocol: 'TCP' }],
      }],
    });
    expect(reachabilityReport(objects).lines).toEqual(expect.arrayContaining([
      'edge/public (Gateway) → istio-system/{app=istiod}:15012',
      'edge/public (Gateway) → shop/web:8080',
    ]));
    // the routed app admits the gateway's identity, <name>-<class>
    expect(findObject(objects, 'AuthorizationPolicy', 'web-from-edge-public').spec.rules[0].from)
      .toEqual([{ source: { principals: ['cluster.local/ns/edge/sa/public-istio'] } }]);
  });

  test('the control plane is the one the namespace names', () => {
    const { app } = platform({ istio: { injection: false, controlPlaneNamespace: 'istio-cp' } });
    expect(findObject(synthValid(app), 'NetworkPolicy', 'public-to-istiod').spec.egress[0].to[0].namespaceSelector)
      .toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'istio-cp' } });
  });

  test('a workload without sidecars in the same namespace is still refused by a STRICT receiver (the net stays armed)', () => {
    const { app, edge } = platform({ istio: false });
    const shop = app.node.findChild('shop') as Chart;
    const job = new WebApp(edge, 'crawler', { image: IMAGE });
    new NetworkPolicyBundle(edge, 'net', {}).allow(job, shop.node.findChild('web') as WebApp, 8080);
    expect(() => app.synth()).toThrow(/"crawler" runs in namespace "edge" without Istio sidecars.*Istio deny-by-default/);
  });
});

describe('HttpsGateway pods in a restricted namespace', () => {
  test('Istio\'s default gateway pod is refused by Pod Security restricted (no seccomp profile), and passes baseline', () => {
    // what Istio deployed for every HttpsGateway on main before this change (no parametersRef)
    const pod = istioGatewayDeployment('public', 'edge');
    expect(podSecurityProblems(pod as any, 'restricted').map(p => p.message)).toEqual([
      'Pod Security Standards: seccompProfile.type must be RuntimeDefault or Localhost (on the pod or on every container)',
    ]);
    expect(podSecurityProblems(pod as any, 'baseline')).toEqual([]);
  });

  test('the Gateway names a ConfigMap whose overlay gives the pods a seccomp profile; the rendered pod passes restricted', () => {
    const { app } = platform({});
    const objects = synthValid(app);
    const gateway = findObject(objects, 'Gateway', 'public');
    expect(gateway.spec.infrastructure).toEqual({ parametersRef: { group: '', kind: 'ConfigMap', name: 'public-gateway-options' } });
    const configMap = findObject(objects, 'ConfigMap', 'public-gateway-options');
    expect(configMap.metadata.namespace).toEqual('edge');
    expect(configMap.data).toEqual({ deployment: 'spec:\n  template:\n    spec:\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n' });
    const rendered = applyDeploymentOverlays(istioGatewayDeployment('public', 'edge'), [SECCOMP_OVERLAY]) as any;
    // strategic merge: the sysctl the template sets is kept beside the profile
    expect(rendered.spec.template.spec.securityContext).toEqual({
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSecurityProblems(rendered, 'restricted')).toEqual([]);
  });

  test.each([
    ['the parametersRef removed', (gateway: HttpsGateway) => ApiObject.of(gateway.gateway).addJsonPatch(JsonPatch.remove('/spec/infrastructure')),
      /the Gateway names no parameters ConfigMap/],
    ['the overlay emptied', (gateway: HttpsGateway) => ApiObject.of(gateway.parameters!).addJsonPatch(JsonPatch.replace('/data/deployment', 'spec: {}\n')),
      /the overlay of ConfigMap "public-gateway-options" \(key "deployment"\) leaves it so/],
  ])('with %s by a JSON patch, synthesis fails naming the gateway, the namespace\'s level and the fix', (_, patch, why) => {
    const { app, gateway } = platform({});
    patch(gateway);
    expect(() => app.synth()).toThrow(new RegExp(`edge/public: the pods Istio deploys for Gateway "public" \\(Deployment public-istio\\) would be refused by namespace "edge", which enforces Pod Security "restricted": .*seccompProfile.type must be RuntimeDefault or Localhost.*${why.source}.*Keep the parameters ConfigMap`));
  });

  test('a baseline namespace accepts Istio\'s default pod: no error without the overlay', () => {
    const { app, gateway } = platform({ podSecurity: 'baseline' });
    ApiObject.of(gateway.gateway).addJsonPatch(JsonPatch.remove('/spec/infrastructure'));
    expect(() => app.synth()).not.toThrow();
  });

  test('a gateway of another class gets no Istio parameters, istiod egress or proxy identity', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'edge', { namespace: 'edge' });
    new SecureNamespace(chart, 'ns', { name: 'edge' });
    const gateway = new HttpsGateway(chart, 'public', { hosts: ['shop.example.com'], className: 'eg' });
    const objects = synthValid(app);
    expect(gateway.meshProxy).toBe(false);
    expect(objects.filter(o => o.kind === 'ConfigMap' || o.metadata.name === 'public-to-istiod')).toEqual([]);
    expect(findObject(objects, 'Gateway', 'public').spec.infrastructure).toBeUndefined();
  });
});
