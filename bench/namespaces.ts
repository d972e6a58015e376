/**
 * The app of the per-namespace benchmark (bench/pipelines.ts): N namespace charts, each with a
 * SecureNamespace, ten WebApps and one Pipeline whose ArgoCD Application syncs that chart. What a
 * platform team with one team per namespace writes; the cost per chart must not grow with N.
 */
import { App, Chart } from 'cdk8s';
import * as lib from '../src';

/** Workloads per namespace. */
export const WORKLOADS_PER_NAMESPACE = 10;

/** N namespace charts × 10 WebApps, one Pipeline (with an ArgoCD Application) each. */
export function buildNamespaces(app: App, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `team-${i}`;
    const chart = new Chart(app, name, { namespace: name });
    new lib.SecureNamespace(chart, 'ns', { name });
    for (let w = 0; w < WORKLOADS_PER_NAMESPACE; w++) {
      new lib.WebApp(chart, `app-${w}`, {
        image: `ghcr.io/acme/${name}-app-${w}:1.0.${w}`,
        resources: { cpu: { request: '100m' }, memory: { request: '128Mi', limit: '256Mi' } },
      });
    }
    new lib.Pipeline(chart, 'delivery', {
      name,
      image: `ghcr.io/acme/${name}`,
      argocd: { repoURL: 'https://github.com/acme/platform.git' },
    });
  }
}
