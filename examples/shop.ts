import { App, Chart } from 'cdk8s';
import { Autoscaled, WebApp } from '../src';

/**
 * The example shop platform: a storefront exposed over HTTPS, a catalogue API and a background
 * worker, in the `shop` namespace.
 */
export function buildShop(app: App): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });

  const web = new WebApp(chart, 'web', {
    image: 'ghcr.io/acme/shop-web:1.4.2',
    port: 8080,
    replicas: 3,
    env: { API_URL: 'http://catalog:8080', LOG_LEVEL: 'info' },
    resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '512Mi' } },
    probes: { readiness: '/healthz', liveness: '/livez' },
    ingress: { host: 'shop.example.com', className: 'nginx', tls: { clusterIssuer: 'letsencrypt-prod' } },
    writablePaths: ['/tmp', '/var/cache/nginx'],
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

  return chart;
}
