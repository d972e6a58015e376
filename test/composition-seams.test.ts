// Regression tests for the seams between constructs (issue 17): each construct is right alone,
// these combinations used to synthesise wrong output.
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  Autoscaled, CanaryRelease, CanaryReleaseProps, NetworkPolicyBundle, ProgressiveRelease, reachabilityReport, ScheduledJob,
  SecureNamespace, StatefulApp, WebApp, Worker,
} from '../src';
import { findObject, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function release(overrides: Partial<CanaryReleaseProps> = {}): CanaryReleaseProps {
  return { port: 8080, stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10, ...overrides };
}

describe('LimitRange and workload resources agree', () => {
  function shop(limits?: ConstructorParameters<typeof SecureNamespace>[2]['limits']): { app: App; chart: Chart } {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', limits });
    return { app, chart };
  }

  test('a WebApp requesting a whole cpu synthesises in a default SecureNamespace, and keeps no cpu limit', () => {
    // GIVEN the default namespace limits WHEN a WebApp requests 1 cpu
    const { chart } = shop();
    new WebApp(chart, 'web', { image: IMAGE, resources: { cpu: { request: '1' } } });
    const objects = synthValid(chart);
    // THEN the LimitRange injects no cpu limit, so the pods are admitted as written
    expect(findObject(objects, 'LimitRange', 'container-defaults').spec.limits[0].default).toEqual({ memory: '256Mi' });
    expect(findObject(objects, 'Deployment', 'web').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '256Mi' }, limits: { memory: '256Mi' } });
  });

  test('fails when a default cpu limit the LimitRange injects is below a workload\'s request, naming both', () => {
    const { chart } = shop({ defaultCpu: { request: '100m', limit: '500m' } });
    new WebApp(chart, 'web', { image: IMAGE, resources: { cpu: { request: '1' } } });
    expect(() => synthValid(chart)).toThrow(/shop\/ns: Deployment "web" \(shop\/web\) container "web" requests cpu "1", above the cpu limit "500m" that LimitRange "container-defaults" of namespace "shop" \(shop\/ns\) injects into containers without a cpu limit; the API server refuses its pods/);
  });

  test('a workload with its own cpu limit is not changed by the default cpu limit', () => {
    const { chart } = shop({ defaultCpu: { request: '100m', limit: '500m' } });
    new WebApp(chart, 'web', { image: IMAGE, resources: { cpu: { request: '1', limit: '2' } } });
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('fails when max.cpu (the default limit then) is below a canary track\'s request, in a namespace created after the release', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryRelease(chart, 'api', release({ canary: { image: 'ghcr.io/acme/api:2.1.0', resources: { cpu: { request: '3' } } } }));
    new SecureNamespace(chart, 'ns', { name: 'shop', limits: { max: { cpu: '2' } } });
    expect(() => synthValid(chart)).toThrow(/Deployment "api-canary" \(shop\/api\/canary\) container "api" requests cpu "3", above the cpu limit "2" that LimitRange "container-defaults" of namespace "shop" \(shop\/ns\) injects/);
  });

  test('fails when a limit is above max or a request below min', () => {
    const { chart } = shop({ max: { memory: '1Gi' }, min: { cpu: '50m' } });
    new WebApp(chart, 'big', { image: IMAGE, resources: { memory: { request: '512Mi', limit: '2Gi' } } });
    new WebApp(chart, 'tiny', { image: IMAGE, resources: { cpu: { request: '10m' } } });
    expect(() => synthValid(chart)).toThrow(/Deployment "big" \(shop\/big\) container "big" has memory limit "2Gi", above the maximum "1Gi" of LimitRange "container-defaults"[^\n]*lower resources\.memory\.limit/);
    expect(() => synthValid(chart)).toThrow(/Deployment "tiny" \(shop\/tiny\) container "tiny" requests cpu "10m", below the minimum "50m"/);
  });

  test('reads the final objects: a JSON patch raising a request is caught; another namespace is not checked', () => {
    const { app, chart } = shop({ defaultCpu: { request: '100m', limit: '500m' } });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    ApiObject.of(web.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/requests/cpu', '750m'));
    const other = new Chart(app, 'ops', { namespace: 'ops' });
    new WebApp(other, 'tool', { image: IMAGE, resources: { cpu: { request: '4' } } });
    expect(() => synthValid(chart)).toThrow(/Deployment "web" \(shop\/web\) container "web" requests cpu "750m", above the cpu limit "500m"/);
    expect(() => synthValid(chart)).not.toThrow(/tool/);
  });

  test('a cpu quota caps requests only, so default WebApps synthesise under it', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', quota: { cpu: '8', memory: '16Gi' } });
    new WebApp(chart, 'web', { image: IMAGE });
    expect(findObject(synthValid(chart), 'ResourceQuota', 'compute-quota').spec.hard).toEqual({ 'requests.cpu': '8', 'requests.memory': '16Gi', 'limits.memory': '16Gi' });
  });

  test('fails when the quota caps limits.cpu and a workload has no cpu limit (its own or injected), naming both', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', quota: { cpu: { request: '8', limit: '16' } } });
    new WebApp(chart, 'web', { image: IMAGE });
    new WebApp(chart, 'capped', { image: IMAGE, resources: { cpu: { request: '100m', limit: '1' } } });
    expect(() => synthValid(chart)).toThrow(/shop\/ns: Deployment "web" \(shop\/web\) container "web" has no cpu limit, but ResourceQuota "compute-quota" of namespace "shop" \(shop\/ns\) caps limits\.cpu, so the API server refuses its pods \("must specify limits\.cpu"\)/);
    expect(() => synthValid(chart)).not.toThrow(/"capped"/);
    // THEN a LimitRange default cpu limit resolves it
    const fixed = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(fixed, 'ns', { name: 'shop', quota: { cpu: { request: '8', limit: '16' } }, limits: { defaultCpu: { request: '100m', limit: '1' } } });
    new WebApp(fixed, 'web', { image: IMAGE });
    expect(() => synthValid(fixed)).not.toThrow();
  });

  test('cdk8s-plus workloads of the namespace are checked too', () => {
    const { chart } = shop({ defaultCpu: { request: '100m', limit: '500m' } });
    new kplus.Deployment(chart, 'plus', { containers: [{ image: IMAGE, portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(1000) } } }] });
    // (cdk8s-plus's own pod defaults do not pass the harness's hardening rules: synthesise plainly)
    expect(() => Testing.synth(chart)).toThrow(/Deployment "shop-plus-c8[^"]*" \(shop\/plus\) container "main" requests cpu "1000m", above the cpu limit "500m"/);
  });
});

describe('Autoscaled and its target in another namespace', () => {
  test('fails when the Autoscaled is in a chart of another namespace than its target, with the fix', () => {
    const app = Testing.app();
    const web = new WebApp(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE });
    expect(() => new Autoscaled(new Chart(app, 'ops', { namespace: 'ops' }), 'h', { target: web, maxReplicas: 5 }))
      .toThrow(/ops\/h: invalid target "shop\/web": runs in namespace "shop", but this Autoscaled is in a chart of namespace "ops"; a HorizontalPodAutoscaler scales only workloads of its own namespace: create the Autoscaled in the target's chart/);
    // THEN the target keeps its replicas
    expect(findObject(synthValid(app), 'Deployment', 'web').spec.replicas).toBe(2);
  });

  test('a second chart of the same namespace may hold the autoscaler', () => {
    const app = Testing.app();
    const web = new WebApp(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: IMAGE });
    new Autoscaled(new Chart(app, 'shop-scaling', { namespace: 'shop' }), 'h', { target: web, maxReplicas: 5 });
    const hpa = findObject(synthValid(app), 'HorizontalPodAutoscaler', 'web');
    expect(hpa.metadata.namespace).toBe('shop');
    expect(hpa.spec.scaleTargetRef.name).toBe('web');
  });

  test('fails for a cdk8s-plus target and a canary track in another namespace', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const plus = new kplus.Deployment(shop, 'plus', { containers: [{ image: IMAGE, portNumber: 8080, resources: { cpu: { request: kplus.Cpu.millis(100) } } }] });
    const api = new CanaryRelease(shop, 'api', release());
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    expect(() => new Autoscaled(ops, 'p', { target: plus, maxReplicas: 5 })).toThrow(/ops\/p: invalid target "shop\/plus": runs in namespace "shop"/);
    expect(() => new Autoscaled(ops, 'c', { target: api.canary, maxReplicas: 5 })).toThrow(/ops\/c: invalid target "shop\/api\/canary": runs in namespace "shop"/);
  });
});

describe('conflicts are errors', () => {
  const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });

  test('fails when env, secretEnv or a track\'s env names a config key', () => {
    expect(() => new WebApp(chart(), 'web', { image: IMAGE, env: { MODE: 'a' }, config: { MODE: 'b' } }))
      .toThrow(/shop\/web: invalid env\.MODE "a": MODE is also a config key \(config\.MODE "b"\); the container would see only one of them/);
    expect(() => new WebApp(chart(), 'web', { image: IMAGE, secretEnv: { MODE: { secret: 's', key: 'k' } }, config: { MODE: 'b' } }))
      .toThrow(/shop\/web: invalid secretEnv\.MODE \{"secret":"s","key":"k"\}: MODE is also a config key/);
    expect(() => new CanaryRelease(chart(), 'api', release({ config: { MODE: 'b' }, env: { MODE: 'a' } })))
      .toThrow(/shop\/api: invalid env\.MODE "a": MODE is also a config key/);
    expect(() => new CanaryRelease(chart(), 'api', release({ config: { MODE: 'b' }, canary: { image: 'ghcr.io/acme/api:2.1.0', env: { MODE: 'x' } } })))
      .toThrow(/shop\/api: invalid canary\.env\.MODE "x": MODE is also a config key/);
  });

  test('fails when env names a config key on every other workload construct too', () => {
    const conflict = { env: { MODE: 'a' }, config: { MODE: 'b' } };
    const message = (path: string) => new RegExp(`${path}: invalid env\\.MODE "a": MODE is also a config key \\(config\\.MODE "b"\\)`);
    expect(() => new Worker(chart(), 'worker', { image: IMAGE, ...conflict })).toThrow(message('shop/worker'));
    expect(() => new StatefulApp(chart(), 'cache', { image: IMAGE, ...conflict })).toThrow(message('shop/cache'));
    expect(() => new ScheduledJob(chart(), 'report', { image: IMAGE, schedule: '0 2 * * *', ...conflict })).toThrow(message('shop/report'));
    expect(() => new ProgressiveRelease(chart(), 'payments', { image: IMAGE, steps: [{ weight: 50, pause: '1m' }, { weight: 100 }], ...conflict }))
      .toThrow(message('shop/payments'));
  });

  test('fails when env and secretEnv set the same variable', () => {
    expect(() => new WebApp(chart(), 'web', { image: IMAGE, env: { DB: 'x' }, secretEnv: { DB: { secret: 's', key: 'k' } } }))
      .toThrow(/shop\/web: invalid secretEnv\.DB \{"secret":"s","key":"k"\}: DB is also set in env/);
  });

  test('fails when two CanaryReleases serve the same gateway host, even in two namespaces', () => {
    const app = Testing.app();
    new CanaryRelease(new Chart(app, 'shop', { namespace: 'shop' }), 'api', release({ gateway: { hosts: ['api.example.com'] } }));
    expect(() => new CanaryRelease(new Chart(app, 'shop2', { namespace: 'shop2' }), 'api2', release({ gateway: { hosts: ['www.example.com', 'api.example.com'] } })))
      .toThrow(/shop2\/api2: invalid gateway\.hosts "api\.example\.com": shop\/api already serves host "api\.example\.com" on port 443 through the gateway pods \{istio=ingressgateway\}/);
  });

  test('two releases on one host through different gateway pods, or on different hosts, synthesise', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    new CanaryRelease(c, 'api', release({ gateway: { hosts: ['api.example.com'] } }));
    new CanaryRelease(c, 'web', release({ gateway: { hosts: ['www.example.com'] } }));
    new CanaryRelease(c, 'internal', release({ gateway: { hosts: ['api.example.com'], selector: { istio: 'internal-gateway' } } }));
    expect(synthValid(app).filter(o => o.kind === 'Gateway')).toHaveLength(3);
  });
});

describe('a CanaryRelease gateway in a locked-down namespace', () => {
  function locked(gateway: CanaryReleaseProps['gateway'], order: 'namespace-first' | 'release-first' = 'namespace-first'): Chart {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const ns = () => new SecureNamespace(chart, 'ns', { name: 'shop', istio: { denyByDefault: true } });
    if (order === 'namespace-first') ns();
    new CanaryRelease(chart, 'api', release({ gateway }));
    if (order === 'release-first') ns();
    return chart;
  }

  test.each(['namespace-first', 'release-first'] as const)('the Istio ingress gateway may reach the release through the NetworkPolicy and the AuthorizationPolicy (%s)', (order) => {
    // GIVEN a release with a gateway in a deny-by-default namespace
    const objects = synthValid(locked({ hosts: ['api.example.com'] }, order));
    // THEN the gateway pods are let in on the container port, at L3/L4 and at L7
    expect(findObject(objects, 'NetworkPolicy', 'api-from-ingress-gateway').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { istio: 'ingressgateway' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }],
    });
    expect(findObject(objects, 'AuthorizationPolicy', 'api-from-ingress-gateway').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('the reachability report shows the gateway as a source of both tracks', () => {
    expect(reachabilityReport(locked({ hosts: ['api.example.com'] })).lines).toEqual(expect.arrayContaining([
      'istio-system/{istio=ingressgateway} → shop/api-stable:8080',
      'istio-system/{istio=ingressgateway} → shop/api-canary:8080',
    ]));
  });

  test('the gateway pods\' namespace, labels and service account are configurable', () => {
    const objects = synthValid(locked({ hosts: ['api.example.com'], podNamespace: 'gateways', selector: { app: 'edge' }, serviceAccount: 'edge' }));
    expect(findObject(objects, 'NetworkPolicy', 'api-from-ingress-gateway').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } }, podSelector: { matchLabels: { app: 'edge' } } },
    ]);
    expect(findObject(objects, 'AuthorizationPolicy', 'api-from-ingress-gateway').spec.rules[0].from).toEqual([{ source: { principals: ['cluster.local/ns/gateways/sa/edge'] } }]);
    expect(findObject(objects, 'Gateway', 'api').spec.selector).toEqual({ app: 'edge' });
  });

  test('an open namespace gets no gateway allowance; a bad podNamespace fails', () => {
    const open = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new CanaryRelease(open, 'api', release({ gateway: { hosts: ['api.example.com'] } }));
    expect(synthValid(open).filter(o => o.metadata.name === 'api-from-ingress-gateway')).toEqual([]);
    expect(() => locked({ hosts: ['api.example.com'], podNamespace: 'Istio System' })).toThrow(/shop\/api: invalid gateway\.podNamespace "Istio System": must be a DNS-1123 label/);
  });
});

describe('allow() from a namespace without sidecars', () => {
  function world(receiver: ConstructorParameters<typeof SecureNamespace>[2]['istio'], sender: ConstructorParameters<typeof SecureNamespace>[2]['istio'] = false): App {
    const app = Testing.app();
    const legacy = new Chart(app, 'legacy', { namespace: 'legacy' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new SecureNamespace(legacy, 'ns', { name: 'legacy', istio: sender });
    const old = new WebApp(legacy, 'old', { image: IMAGE });
    const api = new WebApp(shop, 'api', { image: IMAGE });
    new NetworkPolicyBundle(shop, 'net').allow(old, api);
    new SecureNamespace(shop, 'ns', { name: 'shop', istio: receiver });
    return app;
  }

  test('fails into an Istio deny-by-default namespace, naming the principal and the fix', () => {
    expect(() => synthValid(world({ denyByDefault: true })))
      .toThrow(/allow\(legacy\/old, shop\/api\): "old" runs in namespace "legacy" without Istio sidecars \(legacy\/ns\), so it has no mesh identity and speaks plain text, but namespace "shop" \(shop\/ns\) is Istio deny-by-default and its ALLOW AuthorizationPolicy admits only the principal "cluster\.local\/ns\/legacy\/sa\/old"[^\n]*Inject sidecars into "legacy" \(its SecureNamespace istio: \{ injection: true \}\)/);
  });

  test('fails into a STRICT mTLS namespace, and with injection: false too', () => {
    expect(() => synthValid(world({ mtls: 'STRICT' }))).toThrow(/enforces STRICT mTLS, which refuses plain-text connections[^\n]*set istio\.mtls: 'PERMISSIVE' in "shop"/);
    expect(() => synthValid(world(undefined, { injection: false }))).toThrow(/allow\(legacy\/old, shop\/api\): "old" runs in namespace "legacy" without Istio sidecars/);
  });

  test('synthesises into a PERMISSIVE namespace, and from a namespace with sidecars', () => {
    expect(() => synthValid(world({ mtls: 'PERMISSIVE' }))).not.toThrow();
    expect(() => synthValid(world({ denyByDefault: true }, {}))).not.toThrow();
  });
});

describe('the wiring check reads the objects after users\' JSON patches', () => {
  function scaled(patch: (web: WebApp, hpa: ApiObject) => void): () => unknown {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE });
    const scaling = new Autoscaled(chart, 'scaling', { target: web, maxReplicas: 5 });
    patch(web, scaling.horizontalPodAutoscaler);
    return () => synthValid(chart);
  }

  test('fails when a patch changes the container port behind a named targetPort', () => {
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0/containerPort', 9090))))
      .toThrow(/shop\/web: Deployment web no longer exposes container port 8080 \(a JSON patch changed its ports to \[9090\]\): NetworkPolicies and probes written for port 8080 point at nothing/);
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/ports/0/containerPort', 9090))))
      .toThrow(/shop\/web: Deployment web container "web" readinessProbe checks port 8080, which no container of the pod exposes \(\[9090\]\)/);
  });

  test('fails when a patch relabels the pods, even with the Service and selector patched alike', () => {
    const relabel = (web: WebApp) => {
      for (const path of ['/spec/template/metadata/labels/app.kubernetes.io~1instance', '/spec/selector/matchLabels/app.kubernetes.io~1instance']) {
        web.deployment.addJsonPatch(JsonPatch.replace(path, 'web-v2'));
      }
      web.service.addJsonPatch(JsonPatch.replace('/spec/selector/app.kubernetes.io~1instance', 'web-v2'));
    };
    expect(scaled(relabel)).toThrow(/shop\/web: Deployment web pods no longer carry app\.kubernetes\.io\/instance=web \(relabelled by a JSON patch\): the Service, PodDisruptionBudget and NetworkPolicies that select/);
    expect(scaled(relabel)).toThrow(/PodDisruptionBudget web selector \{[^}]*\} selects none of the pods of Deployment web: it protects nothing/);
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.replace('/spec/template/metadata/labels/app.kubernetes.io~1instance', 'x'))))
      .toThrow(/Deployment web selector \{[^}]*\} does not match its own pod labels/);
  });

  test('fails when a patch adds spec.replicas under an autoscaler', () => {
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.add('/spec/replicas', 3))))
      .toThrow(/shop\/web: Deployment web has spec\.replicas 3 \(added by a JSON patch\), but HorizontalPodAutoscaler web owns its replica count/);
  });

  test('fails when a patch renames the Deployment or retargets the autoscaler', () => {
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.replace('/metadata/name', 'web-v2'))))
      .toThrow(/shop\/web: Deployment "web" was renamed to "web-v2" by a JSON patch: HorizontalPodAutoscaler "web" targets Deployment "web", which no longer exists/);
    expect(scaled((_web, hpa) => hpa.addJsonPatch(JsonPatch.replace('/spec/scaleTargetRef/name', 'other'))))
      .toThrow(/shop\/web: HorizontalPodAutoscaler web targets Deployment "other" \(changed by a JSON patch\), not Deployment web/);
  });

  test('fails when a patch pushes VirtualService weights beyond 0–100 or off a sum of 100', () => {
    const patchedRelease = (weights: [number, number]) => () => {
      const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      const api = new CanaryRelease(chart, 'api', release());
      api.virtualService!.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', weights[0]), JsonPatch.replace('/spec/http/0/route/1/weight', weights[1]));
      return Testing.synth(chart);
    };
    expect(patchedRelease([140, -40])).toThrow(/shop\/api: VirtualService api route "[^"]*" has weight 140, outside 0–100 \(changed by a JSON patch\)/);
    expect(patchedRelease([80, 30])).toThrow(/shop\/api: VirtualService api route "[^"]*" weights \[80,30\] sum to 110, not 100/);
    expect(patchedRelease([70, 30])).not.toThrow();
  });

  test('fails when a patch to the ServiceMonitor or the Service leaves the monitor scraping nothing (library check, no harness)', () => {
    const monitored = (patch: (app: WebApp | CanaryRelease) => void, canary = false) => () => {
      const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      const app = canary
        ? new CanaryRelease(chart, 'api', { ...release(), metrics: { port: 9090 } })
        : new WebApp(chart, 'api', { image: IMAGE, metrics: { port: 9090 } });
      patch(app);
      return Testing.synth(chart);
    };
    expect(monitored(app => app.serviceMonitor!.addJsonPatch(JsonPatch.replace('/spec/endpoints/0/port', 'prom'))))
      .toThrow(/shop\/api: ServiceMonitor api scrapes port "prom", which Service api does not name \(its ports: "http", "metrics"\): nothing is scraped/);
    expect(monitored(app => app.service.addJsonPatch(JsonPatch.replace('/spec/ports/1/name', 'prom')), true))
      .toThrow(/shop\/api: ServiceMonitor api scrapes port "metrics", which Service api does not name \(its ports: "http", "prom"\): nothing is scraped/);
    expect(monitored(app => app.serviceMonitor!.addJsonPatch(JsonPatch.replace('/spec/selector/matchLabels', { team: 'shop' }))))
      .toThrow(/shop\/api: ServiceMonitor api selects Services by \{"matchLabels":\{"team":"shop"\}\}, which Service api \(labels \{.*\}\) does not match: nothing is scraped/);
    expect(monitored(app => app.service.addJsonPatch(JsonPatch.replace('/metadata/name', 'api-v2'))))
      .toThrow(/shop\/api: ServiceMonitor api keeps only Services named "api", not Service api-v2: nothing is scraped/);
    expect(monitored(app => app.serviceMonitor!.addJsonPatch(JsonPatch.replace('/spec/endpoints/0/interval', '15s')), true)).not.toThrow();
  });

  test('an unpatched app and a harmless patch pass', () => {
    expect(scaled(() => undefined)).not.toThrow();
    expect(scaled(web => web.deployment.addJsonPatch(JsonPatch.add('/metadata/annotations', { team: 'shop' })))).not.toThrow();
  });
});

describe('friction removed', () => {
  test('allowMonitoring from two namespaces: the conflict names allowMonitoring.name, and a name resolves it', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new NetworkPolicyBundle(chart, 'prometheus', { allowMonitoring: true });
    expect(() => new NetworkPolicyBundle(chart, 'datadog', { allowMonitoring: { namespace: 'datadog' } }))
      .toThrow(/shop\/datadog: invalid allowMonitoring\.name "allow-monitoring": a NetworkPolicy named "allow-monitoring" with a different meaning already exists in namespace "shop" \(created by shop\/prometheus\); set allowMonitoring\.name to another name/);
    new NetworkPolicyBundle(chart, 'datadog2', { allowMonitoring: { namespace: 'datadog', name: 'allow-datadog' } });
    const objects = synthValid(chart);
    expect(findObject(objects, 'NetworkPolicy', 'allow-monitoring').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'monitoring' });
    expect(findObject(objects, 'NetworkPolicy', 'allow-datadog').spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'datadog' });
  });

  test('DNS namespace, pod labels, ports and NodeLocal DNSCache addresses are configurable', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', {
      name: 'shop',
      dns: { namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [5353], cidrs: ['169.254.20.10/32'] },
    });
    expect(findObject(synthValid(chart), 'NetworkPolicy', 'allow-dns').spec.egress).toEqual([{
      to: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } },
        { ipBlock: { cidr: '169.254.20.10/32' } },
      ],
      ports: [{ port: 5353, protocol: 'UDP' }, { port: 5353, protocol: 'TCP' }],
    }]);
  });

  test('fails when a bundle and the SecureNamespace of one namespace disagree on DNS, or the DNS options are malformed', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    expect(() => new NetworkPolicyBundle(chart, 'net', { dns: { namespace: 'openshift-dns' } }))
      .toThrow(/shop\/net: invalid dns "allow-dns": a NetworkPolicy named "allow-dns" with a different meaning already exists in namespace "shop" \(created by shop\/ns\); give both the same dns settings/);
    expect(() => new NetworkPolicyBundle(chart, 'net2', { dns: { ports: [] } })).toThrow(/shop\/net2: invalid dns\.ports \[\]: must list at least one port/);
    expect(() => new NetworkPolicyBundle(chart, 'net3', { dns: { podLabels: { 'k8s-app': 'kube dns' } } })).toThrow(/shop\/net3: invalid dns\.podLabels\.k8s-app "kube dns"/);
    expect(() => new NetworkPolicyBundle(chart, 'net4', { dns: { cidrs: ['169.254.20.10'] } })).toThrow(/shop\/net4: invalid dns\.cidrs\[0\] "169\.254\.20\.10": the prefix length is missing/);
  });

  test('a workload with a mounted token may reach the API server, on its own egress policy', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop' });
    new WebApp(chart, 'operator', { image: IMAGE, serviceAccount: { automountToken: true, apiServer: { cidr: '10.0.0.10/32', port: 6443 } } });
    new CanaryRelease(chart, 'api', release({ serviceAccount: { automountToken: true, apiServer: { cidr: '10.0.0.0/28' } } }));
    const objects = synthValid(chart, { skipHardening: ['serviceAccountToken'] });
    expect(findObject(objects, 'NetworkPolicy', 'operator-to-api-server').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'operator', 'app.kubernetes.io/instance': 'operator' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.10/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] }],
    });
    expect(findObject(objects, 'NetworkPolicy', 'api-to-api-server').spec.egress[0].ports).toEqual([{ port: 443, protocol: 'TCP' }]);
    expect(reachabilityReport(chart).lines).toContain('shop/operator → 10.0.0.10/32:6443');
  });

  test('fails when apiServer is asked without a mounted token; an open namespace gets no policy', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    expect(() => new WebApp(chart, 'web', { image: IMAGE, serviceAccount: { apiServer: { cidr: '10.0.0.10/32' } } }))
      .toThrow(/shop\/web: invalid serviceAccount\.apiServer \{"cidr":"10\.0\.0\.10\/32"\}: needs serviceAccount\.automountToken: true/);
    new WebApp(chart, 'ok', { image: IMAGE, serviceAccount: { automountToken: true, apiServer: { cidr: '10.0.0.10/32' } } });
    expect(synthValid(chart, { skipHardening: ['serviceAccountToken'] }).filter(o => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('allow() into a namespace default-denied outside the App writes the ingress side when asked', () => {
    const build = (options?: { assumeIngressDenied?: boolean }) => {
      const app = Testing.app();
      const shop = new Chart(app, 'shop', { namespace: 'shop' });
      const payments = new Chart(app, 'payments', { namespace: 'payments' });
      new SecureNamespace(shop, 'ns', { name: 'shop' });
      const web = new WebApp(shop, 'web', { image: IMAGE });
      const pay = new WebApp(payments, 'pay', { image: IMAGE });
      new NetworkPolicyBundle(shop, 'net').allow(web, pay, undefined, options);
      return synthValid(app).filter(o => o.kind === 'NetworkPolicy' && o.metadata.name.includes('pay'));
    };
    expect(build().map(o => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['shop/web-to-payments-pay']);
    const both = build({ assumeIngressDenied: true });
    expect(both.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(['payments/pay-from-shop-web', 'shop/web-to-payments-pay']);
    expect(findObject(both, 'NetworkPolicy', 'pay-from-shop-web').spec.ingress[0]).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });

  test('fails when allow() options are not booleans', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const a = new WebApp(chart, 'a', { image: IMAGE });
    const b = new WebApp(chart, 'b', { image: IMAGE });
    expect(() => new NetworkPolicyBundle(chart, 'net').allow(a, b, undefined, { assumeIngressDenied: 'yes' as never }))
      .toThrow(/shop\/net: invalid allow\.options\.assumeIngressDenied "yes": must be true or false/);
  });
});
