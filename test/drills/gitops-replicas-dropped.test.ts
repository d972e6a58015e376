// Drill: `replicas` dropped. Adding `Autoscaled` to a WebApp removes `spec.replicas: 6` from its
// Deployment. Kubernetes documents what applying that does: the field defaults to 1, so every pod
// but one terminates once, until the autoscaler scales up again
// (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling).
// Client-side `kubectl apply` — ArgoCD's default sync — computes a three-way merge: a field in the
// last-applied configuration and absent from the new one is deleted from the live object
// (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/declarative-config/#how-apply-calculates-differences-and-merges-changes).
// Under server-side apply, dropping a field its manager alone owns removes it too, unless another
// manager (the HPA) owns it; Kubernetes' "transferring ownership" hands it over first
// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#transferring-ownership).
// Both are modelled below; the net is plan's warning and its advice.
//
// On main before this change (run against it): plan listed `spec.replicas: 6 → (none)` under
// "Changed" with no finding at all (StatefulSet and Rollout alike): both drills failed; the
// healthy twin held.
import { App, Chart } from 'cdk8s';
import { Autoscaled, planManifests, synthObjects, WebApp } from '../../src';

function shop(options: { autoscaled: boolean; image?: string }): unknown[] {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new WebApp(chart, 'web', { image: options.image ?? 'ghcr.io/acme/web:1.0.0', replicas: 6 });
  if (options.autoscaled) new Autoscaled(chart, 'web-scaling', { target: web, maxReplicas: 10 });
  return synthObjects(app);
}

/** Client-side apply of `spec.replicas`: the three-way merge of last-applied, live and desired; a missing field defaults to 1. */
function clientSideApply(live: number, lastApplied: { replicas?: number }, desired: { replicas?: number }): number {
  if (desired.replicas !== undefined) return desired.replicas;
  return lastApplied.replicas !== undefined ? 1 : live;
}

/**
 * Server-side apply of `spec.replicas`: a manager's apply without the field drops its ownership;
 * the field is removed (and defaults to 1) when no other manager owns it.
 */
function serverSideApply(live: number, owners: readonly string[], applier: string, desired: { replicas?: number }): number {
  if (desired.replicas !== undefined) return desired.replicas;
  return owners.some(o => o !== applier) ? live : 1;
}

describe('drill: replicas dropped by adding Autoscaled (plan)', () => {
  test('plan warns on the Deployment, with the ways Kubernetes documents to avoid the scale to 1', () => {
    const result = planManifests(shop({ autoscaled: false }), shop({ autoscaled: true }));
    const warnings = result.findings.filter(f => f.field === 'spec.replicas');
    expect(warnings).toEqual([expect.objectContaining({ severity: 'warning', object: 'Deployment shop/web' })]);
    const { message } = warnings[0];
    expect(message).toContain('spec.replicas 6 → (none): the field defaults to 1, so applying the object without it scales it to 1 pod once');
    expect(message).toContain('kubectl apply edit-last-applied deployment/web -n shop');
    expect(message).toContain('server-side apply (ArgoCD sync option ServerSideApply=true)');
    expect(message).toContain('--field-manager=handover-to-hpa');
    // a warning, not an error: the change is intended
    expect(result.ok).toBe(true);

    // the model: syncing as is scales 6 pods to 1; following the advice (edit-last-applied first) keeps 6
    expect(clientSideApply(6, { replicas: 6 }, {})).toBe(1);
    expect(clientSideApply(6, {}, {})).toBe(6);
    // under ServerSideApply=true: ArgoCD alone owning the field scales to 1; handed over first (handover-to-hpa), 6 stay
    expect(serverSideApply(6, ['argocd-controller'], 'argocd-controller', {})).toBe(1);
    expect(serverSideApply(6, ['argocd-controller', 'handover-to-hpa'], 'argocd-controller', {})).toBe(6);
  });

  test('the same for a StatefulSet and an Argo Rollout losing spec.replicas', () => {
    const object = (apiVersion: string, kind: string, replicas?: number) => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' }, spec: replicas === undefined ? {} : { replicas } });
    for (const [apiVersion, kind] of [['apps/v1', 'StatefulSet'], ['argoproj.io/v1alpha1', 'Rollout']]) {
      const findings = planManifests([object(apiVersion, kind, 3)], [object(apiVersion, kind)]).findings;
      expect(findings).toEqual([expect.objectContaining({ severity: 'warning', object: `${kind} ns/x`, field: 'spec.replicas' })]);
    }
  });

  test('healthy twin: an image bump, or replicas changed, is no warning', () => {
    expect(planManifests(shop({ autoscaled: false }), shop({ autoscaled: false, image: 'ghcr.io/acme/web:1.1.0' })).findings).toEqual([]);
    expect(planManifests(shop({ autoscaled: true }), shop({ autoscaled: true, image: 'ghcr.io/acme/web:1.1.0' })).findings).toEqual([]);
  });
});
