// Drill: a claim resized. A StatefulApp's storage grown from 50Gi to 100Gi changes the
// StatefulSet's volumeClaimTemplates, which the API server refuses to update. Plan must fail, and
// its advice must work as ArgoCD and Kubernetes document them:
// - ArgoCD's default sync is `kubectl apply`; `Replace=true` runs `kubectl replace` (or `create`),
//   another update the API server refuses; only `Force=true,Replace=true` deletes and recreates
//   (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/);
// - an existing claim grows by volume expansion — a larger `spec.resources.requests.storage` on
//   the claim itself, allowed when its StorageClass sets `allowVolumeExpansion: true`; claims never
//   shrink (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims);
//   a claim under a new name starts empty.
//
// On main before this change (run against it): the finding (field spec.volumeClaimTemplates) advised "delete and
// recreate the object (ArgoCD sync option Replace=true, or a new name)": Replace=true fails on the
// same refusal, a new name loses the data, and nothing said to expand the existing claims. A
// smaller claim was accepted. The three drills failed; the healthy twin held.
import { App, Chart } from 'cdk8s';
import { planManifests, StatefulApp, synthObjects } from '../../src';

function database(size: string): unknown[] {
  const app = new App();
  const chart = new Chart(app, 'db', { namespace: 'db' });
  new StatefulApp(chart, 'postgres', { image: 'postgres:16.2', port: 5432, storage: { size, mountPath: '/var/lib/postgresql/data' } });
  return synthObjects(app);
}

describe('drill: a claim resized (plan)', () => {
  test('50Gi → 100Gi is an error whose advice is to expand the existing claims and recreate the StatefulSet alone', () => {
    const result = planManifests(database('50Gi'), database('100Gi'));
    expect(result.ok).toBe(false);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ severity: 'error', object: 'StatefulSet db/postgres', field: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage' });
    expect(finding.message).toContain('storage "50Gi" → "100Gi"');
    expect(finding.message).toContain('a claim grows by volume expansion, not under a new name (a new claim starts empty)');
    expect(finding.message).toContain('raise spec.resources.requests.storage of each existing claim data-postgres-<ordinal> (its StorageClass must set allowVolumeExpansion: true)');
    expect(finding.message).toContain('kubectl delete statefulset postgres -n db --cascade=orphan (its pods and claims stay)');
    // never the advice that fails (Replace=true alone) or loses the data (a new name)
    expect(finding.message).not.toMatch(/(^|[^,])Replace=true/);
    expect(finding.message).toContain('not Force=true,Replace=true, which deletes its pods too');
  });

  test('a smaller claim is an error: claims never shrink', () => {
    const [finding] = planManifests(database('50Gi'), database('20Gi')).findings;
    expect(finding).toMatchObject({ severity: 'error', field: 'spec.volumeClaimTemplates[data].spec.resources.requests.storage' });
    expect(finding.message).toMatch(/storage "50Gi" → "20Gi": the API server refuses a smaller request: a claim never shrinks/);
  });

  test('other immutable fields: Replace=true alone fails too, Force=true,Replace=true recreates', () => {
    const before = database('50Gi') as any[];
    const after = JSON.parse(JSON.stringify(before)) as any[];
    after.find(o => o.kind === 'StatefulSet').spec.serviceName = 'postgres-peers';
    const [finding] = planManifests(before, after).findings;
    expect(finding.field).toEqual('spec.serviceName');
    expect(finding.message).toContain('ArgoCD\'s sync (kubectl apply) fails on it, and so does Replace=true (kubectl replace is an update too)');
    expect(finding.message).toContain('annotate it argocd.argoproj.io/sync-options: Force=true,Replace=true');
  });

  test('healthy twin: the same size (or an image bump) is no finding', () => {
    expect(planManifests(database('50Gi'), database('50Gi'))).toMatchObject({ ok: true, findings: [], changed: [] });
  });
});
