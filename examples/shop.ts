import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Autoscaled, CanaryRelease, imageFromDigestFile, NetworkPolicyBundle, Pipeline, SecureNamespace, WebApp } from '../src';

/**
 * The example shop platform: a storefront exposed over HTTPS, a catalogue API and a background
 * worker, in the `shop` namespace.
 */
export function buildShop(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });

  // a namespace locked down by default: Pod Security restricted, STRICT mTLS and deny-by-default
  // authorization (the nginx ingress controller runs with a sidecar), default-deny network with
  // DNS and istiod egress, quota, RBAC
  new SecureNamespace(chart, 'namespace', {
    name: 'shop',
    quota: { cpu: '16', memory: '32Gi', pods: 60 },
    istio: { denyByDefault: true },
    access: { admins: ['shop-ops'], editors: ['shop-developers'], viewers: ['shop-support'] },
  });

  const web = new WebApp(chart, 'web', {
    // the digest the delivery workflow last pushed, scanned and signed (the tag until the first delivery)
    image: imageFromDigestFile(path.join(__dirname, 'shop', 'image-digests.json'), 'ghcr.io/acme/shop-web', 'ghcr.io/acme/shop-web:1.4.2'),
    port: 8080,
    replicas: 3,
    env: { API_URL: 'http://catalog:8080', LOG_LEVEL: 'info' },
    resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '512Mi' } },
    probes: { readiness: '/healthz', liveness: '/livez' },
    ingress: { host: 'shop.example.com', className: 'nginx', tls: { clusterIssuer: 'letsencrypt-prod' } },
    writablePaths: ['/tmp', '/var/cache/nginx'],
    // keep serving while the ingress controller drops the pod from its endpoints (nginx images ship `sleep`)
    preStop: { sleepSeconds: 5 },
  });
  new Autoscaled(chart, 'web-scaling', { target: web, maxReplicas: 10, scaleDown: { stabilizationSeconds: 300, maxPercentPerMinute: 50 } });

  const catalog = new WebApp(chart, 'catalog', {
    image: 'ghcr.io/acme/catalog@sha256:3f1a9c0e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a',
    port: 8080,
    secretEnv: { DATABASE_URL: { secret: 'catalog-db', key: 'url' } },
    config: { CACHE_TTL_SECONDS: '60', FEATURE_RECOMMENDATIONS: 'true' },
    probes: { readiness: { path: '/ready', periodSeconds: 5 }, startup: { path: '/ready', failureThreshold: 60 } },
  });
  new Autoscaled(chart, 'catalog-scaling', { target: catalog, minReplicas: 2, maxReplicas: 6, cpuUtilization: 65, memoryUtilization: 80 });

  new WebApp(chart, 'worker', {
    image: 'ghcr.io/acme/shop-worker:0.9.1',
    replicas: 1,
    appProtocol: 'tcp',
    env: { QUEUE: 'orders' },
    resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi' } },
    probes: { readiness: { command: ['/bin/worker', 'health'] }, liveness: { command: ['/bin/worker', 'health'] } },
  });

  // CI/CD of the storefront image; writeWorkflows(app) in main.ts writes its workflow file
  new Pipeline(chart, 'delivery', {
    image: 'ghcr.io/acme/shop-web',
    synth: { command: 'npm run synth', outdir: 'dist' },
    deliver: { digestFile: 'examples/shop/image-digests.json' },
    // inert inside this library repo (GitHub runs only the root .github/workflows); an app repo keeps the default
    workflowPath: 'examples/shop/.github/workflows/delivery.yml',
    argocd: { repoURL: 'https://github.com/acme/shop.git', automated: true },
  });

  // checkout 2.1.0 takes 10 % of requests, and every request of testers sending `x-canary: always`;
  // promote by raising canaryWeight to 100, roll back by setting it to 0
  const checkout = new CanaryRelease(chart, 'checkout', {
    port: 8080,
    stable: { image: 'ghcr.io/acme/checkout:2.0.0', replicas: 3 },
    canary: { image: 'ghcr.io/acme/checkout:2.1.0', env: { LOG_LEVEL: 'debug' } },
    canaryWeight: 10,
    env: { LOG_LEVEL: 'info', CATALOG_URL: 'http://catalog:8080' },
    probes: { readiness: '/ready' },
    match: { headers: { 'x-canary': 'always' } },
    retries: { attempts: 2, perTryTimeout: '2s', retryOn: 'gateway-error,connect-failure,refused-stream' },
    timeout: '10s',
    circuitBreaker: { maxConnections: 200, consecutive5xxErrors: 5 },
    gateway: { hosts: ['checkout.example.com'], tls: { credentialName: 'checkout-example-com' } },
  });
  new Autoscaled(chart, 'checkout-scaling', { target: checkout.stable, maxReplicas: 8 });

  // the only flows the namespace allows (created after the apps it names); see dist/shop.reachability.md
  new NetworkPolicyBundle(chart, 'network', {
    allowFromIngressController: true,
    allowMonitoring: true,
    egress: [{ cidr: '10.20.0.0/16', ports: [5432] }], // the databases (egress rules apply to every pod of the namespace)
  }).allow(web, catalog).allow(checkout, catalog);
  new NetworkPolicyBundle(chart, 'mesh-gateway', { allowFromIngressController: { namespace: 'istio-system', to: [checkout] } });

  return chart;
}
