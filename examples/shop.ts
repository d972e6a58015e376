import * as path from 'path';
import { App, Chart } from 'cdk8s';
import {
  Autoscaled, CanaryRelease, ExternalSecret, HttpsGateway, imageFromDigestFile, ImageVerification, NetworkPolicyBundle, Pipeline, ProgressiveRelease,
  ScheduledJob, SecureNamespace, ServiceLevelObjective, StatefulApp, WebApp, Worker,
} from '../src';

/**
 * The example shop platform: a storefront exposed over HTTPS, a catalogue API, a background
 * worker, a Redis cache and a nightly report, in the `shop` namespace.
 */
export function buildShop(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });

  // a namespace locked down by default: Pod Security restricted, STRICT mTLS and deny-by-default
  // authorization, default-deny network with DNS and istiod egress, quota, RBAC
  new SecureNamespace(chart, 'namespace', {
    name: 'shop',
    quota: { cpu: '16', memory: '32Gi', pods: 60 },
    istio: { denyByDefault: true },
    access: { admins: ['shop-ops'], editors: ['shop-developers'], viewers: ['shop-support'] },
  });

  // the shop's HTTPS entry point on Gateway API: Istio deploys its pods here, in the mesh (so STRICT
  // mTLS and the deny-by-default authorization identify them as shop/public-istio); HTTP only
  // redirects to HTTPS; cert-manager issues the certificate into the Secret public-tls.
  // Under Pod Security restricted, Istio must give gateway pods a RuntimeDefault seccomp profile
  // (install with values.gateways.seccompProfile.type=RuntimeDefault).
  const gateway = new HttpsGateway(chart, 'public', {
    hosts: ['shop.example.com', 'checkout.example.com'],
    tls: { clusterIssuer: 'letsencrypt-prod' },
  });

  const web = new WebApp(chart, 'web', {
    // the digest the delivery workflow last pushed, scanned and signed (the tag until the first delivery)
    image: imageFromDigestFile(path.join(__dirname, 'shop', 'image-digests.json'), 'ghcr.io/acme/shop-web', 'ghcr.io/acme/shop-web:1.4.2'),
    port: 8080,
    replicas: 3,
    env: { API_URL: 'http://catalog:8080', LOG_LEVEL: 'info' },
    resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '512Mi' } },
    probes: { readiness: '/healthz', liveness: '/livez' },
    route: { gateway, hosts: ['shop.example.com'] },
    writablePaths: ['/tmp', '/var/cache/nginx'],
    // keep serving while the gateway drops the pod from its endpoints (nginx images ship `sleep`)
    preStop: { sleepSeconds: 5 },
  });
  new Autoscaled(chart, 'web-scaling', { target: web, maxReplicas: 10, scaleDown: { stabilizationSeconds: 300, maxPercentPerMinute: 50 } });

  // the catalogue's database URL lives in Vault, never in Git: the External Secrets Operator writes
  // Secret catalog-db from it; a change here rolls the catalogue's pods
  const catalogDb = new ExternalSecret(chart, 'catalog-db', {
    name: 'catalog-db',
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    data: { url: { remoteKey: 'shop/catalog-db', property: 'url' } },
  });

  const catalog = new WebApp(chart, 'catalog', {
    image: 'ghcr.io/acme/catalog@sha256:3f1a9c0e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a',
    port: 8080,
    secretEnv: { DATABASE_URL: { secret: catalogDb, key: 'url' } },
    config: { CACHE_TTL_SECONDS: '60', FEATURE_RECOMMENDATIONS: 'true' },
    probes: { readiness: { path: '/ready', periodSeconds: 5 }, startup: { path: '/ready', failureThreshold: 60 } },
    // Prometheus metrics on a port of their own: a ServiceMonitor scrapes it, and under STRICT mTLS
    // only this port accepts the plain-text scrape (from the monitoring namespace)
    metrics: { port: 9090 },
  });
  new Autoscaled(chart, 'catalog-scaling', { target: catalog, minReplicas: 2, maxReplicas: 6, cpuUtilization: 65, memoryUtilization: 80 });

  // the order consumer: no Service, no port; its health is told by a command
  const worker = new Worker(chart, 'worker', {
    image: 'ghcr.io/acme/shop-worker:0.9.1',
    replicas: 2,
    env: { QUEUE: 'orders', REDIS_URL: 'redis://cache:6379' },
    resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi' } },
    probes: { liveness: { command: ['/bin/worker', 'health'] } },
  });

  // a Redis cache with a persistent volume per pod: StatefulSet, headless Service cache-headless, Service cache
  const cache = new StatefulApp(chart, 'cache', {
    image: 'docker.io/library/redis:7.2.4',
    port: 6379,
    appProtocol: 'tcp',
    resources: { cpu: { request: '100m' }, memory: { request: '256Mi' } },
    storage: { size: '5Gi', mountPath: '/data' },
  });

  // the nightly sales report at 02:30 Berlin time, never two at once, stopped after an hour
  const report = new ScheduledJob(chart, 'nightly-report', {
    image: 'ghcr.io/acme/shop-report:1.2.0',
    schedule: '30 2 * * *',
    timeZone: 'Europe/Berlin',
    activeDeadlineSeconds: 3600,
    ttlSecondsAfterFinished: 86400,
    env: { CATALOG_URL: 'http://catalog:8080' },
  });

  // CI/CD of the storefront image; writeWorkflows(app) in main.ts writes its workflow file
  const delivery = new Pipeline(chart, 'delivery', {
    image: 'ghcr.io/acme/shop-web',
    synth: { command: 'npm run synth', outdir: 'dist' },
    deliver: { digestFile: 'examples/shop/image-digests.json' },
    // inert inside this library repo (GitHub runs only the root .github/workflows); an app repo keeps the default
    workflowPath: 'examples/shop/.github/workflows/delivery.yml',
    // one Application per chart (namespace), each syncing only its chart's file; written to dist/argocd/, which none syncs
    argocd: { repoURL: 'https://github.com/acme/shop.git', automated: true, charts: 'all' },
  });

  // admission runs only signed images (Kyverno): the storefront as the delivery workflow signed it
  // on main; the other services as their own repository's release workflow signed them. Redis is
  // Docker's official image, which no workflow of ours signs: skipped on purpose
  new ImageVerification(chart, 'storefront-images', {
    images: ['ghcr.io/acme/shop-web*'],
    skipImages: ['docker.io/library/redis*'],
    pipeline: delivery,
    // where the app repository runs the workflow (this repository keeps it inert in examples/shop)
    workflowPath: '.github/workflows/delivery.yml',
  });
  new ImageVerification(chart, 'service-images', {
    name: 'verify-service-images',
    images: ['ghcr.io/acme/*'],
    skipImages: ['ghcr.io/acme/shop-web*'],
    repository: 'acme/services',
    workflowPath: '.github/workflows/release.yml',
  });

  // checkout 2.1.0 takes 10 % of the requests through the gateway, and every request of testers
  // sending `x-canary: always`; promote by raising canaryWeight to 100, roll back by setting it to 0.
  // The split is the HTTPRoute's backend weights (retries and circuit breaking need routing 'istio')
  const checkout = new CanaryRelease(chart, 'checkout', {
    port: 8080,
    stable: { image: 'ghcr.io/acme/checkout:2.0.0', replicas: 3 },
    canary: { image: 'ghcr.io/acme/checkout:2.1.0', env: { LOG_LEVEL: 'debug' } },
    canaryWeight: 10,
    env: { LOG_LEVEL: 'info', CATALOG_URL: 'http://catalog:8080' },
    probes: { readiness: '/ready' },
    match: { headers: { 'x-canary': 'always' } },
    timeout: '10s',
    routing: 'gateway-api',
    route: { gateway, hosts: ['checkout.example.com'] },
    metrics: { port: 9090 },
  });
  new Autoscaled(chart, 'checkout-scaling', { target: checkout.stable, maxReplicas: 8 });

  // objectives with burn-rate alerts and a Grafana dashboard: checkout from the mesh's metrics
  // (stable and canary apart in every query), catalog from its own http_requests_total
  new ServiceLevelObjective(chart, 'checkout-slo', { target: checkout, availability: 99.9, latency: { threshold: '250ms', percent: 99 } });
  new ServiceLevelObjective(chart, 'catalog-slo', { target: catalog, availability: 99.5, source: 'app' });

  // payments rolls out on its own (Argo Rollouts): a new image takes 5 %, 25 %, 50 %, then all
  // requests from checkout; every minute the new pods are measured against the budgets of the
  // payments objectives (99.5 % not 5xx, 99 % within 250 ms); three failed measurements send
  // everything back to the running version. The delivery Application leaves the route weights
  // to Argo Rollouts (ignoreDifferences).
  const paymentsSlo = new ServiceLevelObjective(chart, 'payments-slo', {
    target: { name: 'payments', namespace: 'shop' }, availability: 99.5, latency: { threshold: '250ms', percent: 99 },
  });
  const pspKey = new ExternalSecret(chart, 'payments-psp', {
    name: 'payments-psp',
    store: { name: 'vault', kind: 'ClusterSecretStore' },
    data: { 'api-key': { remoteKey: 'shop/payments-psp', property: 'api-key' } },
    refreshInterval: '15m',
  });
  const payments = new ProgressiveRelease(chart, 'payments', {
    image: 'ghcr.io/acme/payments:3.2.0',
    port: 8080,
    replicas: 3,
    secretEnv: { PSP_API_KEY: { secret: pspKey, key: 'api-key' } },
    probes: { readiness: '/ready', liveness: '/livez' },
    steps: [{ weight: 5, pause: '5m' }, { weight: 25, pause: '10m' }, { weight: 50, pause: '10m' }, { weight: 100 }],
    analysis: { slo: paymentsSlo },
  });
  new Autoscaled(chart, 'payments-scaling', { target: payments, minReplicas: 3, maxReplicas: 9 });

  // the only flows the namespace allows (created after the apps it names); see dist/shop.reachability.md
  new NetworkPolicyBundle(chart, 'network', {
    allowFromGateway: gateway, // the gateway reaches web and checkout only, on their ports
    allowMonitoring: true, // exactly the metrics ports of catalog and checkout
  })
    .allow(web, catalog).allow(checkout, catalog).allow(checkout, payments)
    .allow(catalog, cache).allow(worker, cache).allow(report, catalog)
    // the databases and the message broker, for the workloads that use them only
    .allowEgress(catalog, { cidr: '10.20.0.0/16', ports: [5432] })
    .allowEgress(worker, { cidr: '10.20.0.0/16', ports: [5432] })
    .allowEgress(worker, { namespace: 'messaging', ports: [5672] });

  return chart;
}
