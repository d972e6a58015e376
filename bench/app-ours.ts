/**
 * The benchmark's app written with this library: N web apps, each autoscaled and allowed to
 * receive traffic from the previous one (a ring). Its twin, written by hand with cdk8s-plus-28,
 * is app-peer.ts; each is loaded only by the processes measuring it, so that neither pays for
 * loading the other's modules. Both produce the same kinds of objects per app: Deployment,
 * Service, ServiceAccount, PodDisruptionBudget, HorizontalPodAutoscaler, and two NetworkPolicies
 * per allowed flow (ingress on the receiver, egress on the sender), plus a namespace default-deny
 * (and, for the library, its DNS allowance).
 */
import { App, Chart } from 'cdk8s';
import { IMAGE, NAMESPACE, PORT } from './app-constants';
import * as lib from '../src';

/** N WebApps, each with an `Autoscaled` and an `allow()` rule from the previous one. */
export function buildOurs(app: App, n: number): Chart {
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  const bundle = new lib.NetworkPolicyBundle(chart, 'net', {});
  const apps: lib.WebApp[] = [];
  for (let i = 0; i < n; i++) {
    const web = new lib.WebApp(chart, `app-${i}`, {
      image: IMAGE,
      port: PORT,
      env: { LOG_LEVEL: 'info', INDEX: String(i) },
      resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
      probes: { readiness: '/healthz', liveness: '/livez' },
    });
    new lib.Autoscaled(chart, `app-${i}-scaling`, { target: web, maxReplicas: 10 });
    apps.push(web);
  }
  if (n > 1) {
    for (let i = 0; i < n; i++) bundle.allow(apps[(i + n - 1) % n], apps[i], PORT);
  }
  return chart;
}
