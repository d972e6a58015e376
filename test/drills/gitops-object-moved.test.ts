// Drill: an object moves from one chart to another — from one ArgoCD Application to another.
// The failure it exists for: a team moves its database (a StatefulApp) from the chart `db` into a
// new chart `data` of the same namespace. Every object keeps its kind, namespace, name and
// content, so a plan that matches objects by identity sees "1 to add (the new Application), 0 to
// remove", exit 0. But the Applications sync on their own: the old one's files no longer hold
// the database, so its automated sync prunes the StatefulSet (and its pods), while the new one
// creates it again, whichever runs first.
//
// ArgoCD's semantics, modelled in argocd-prune.ts from its docs: an Application's desired state is
// the manifests of the files its directory source reads, and automated sync with `prune: true`
// deletes the live objects it managed that the desired state no longer holds
// (https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning); an object
// annotated `argocd.argoproj.io/sync-options: Prune=false` is never pruned
// (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources).
//
// On main before this change (run against it): "Plan: 1 to add, 0 to change, 0 to remove, … 0
// error(s)", exit 0 — the drill failed; the healthy twin held.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { desiredObjects, keyOf, LiveObject, sync } from './argocd-prune';
import { committedShop, configure, planCli, synthInto } from './gitops-fixture';

jest.setTimeout(120_000);

/** The Applications the output holds (app.synth() writes them into dist/argocd.k8s.yaml). */
function applications(dir: string): any[] {
  return parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', 'argocd.k8s.yaml'), 'utf8')).map(d => d.toJS()).filter(o => o?.kind === 'Application');
}

describe('drill: the database moves to another chart (another Application)', () => {
  test('ArgoCD: the old Application, synced on the new commit, prunes the StatefulSet it no longer holds', () => {
    // GIVEN the database committed in chart db, synced live by Application delivery-db
    const dir = committedShop({ db: true, argocd: true });
    const before = applications(dir).find(a => a.metadata.name === 'delivery-db');
    const live: LiveObject[] = desiredObjects(dir, before);
    expect(live.map(keyOf)).toContain('StatefulSet db/postgres');
    // WHEN the database moves to chart data and the new output is committed
    configure(dir, { db: true, argocd: true, dbChart: 'data' });
    fs.rmSync(path.join(dir, 'dist'), { recursive: true });
    synthInto(dir);
    // THEN delivery-db's automated sync prunes it; delivery-data would create it again
    const { pruned } = sync(live, desiredObjects(dir, before), true);
    expect(pruned).toEqual(expect.arrayContaining(['StatefulSet db/postgres', 'Service db/postgres', 'ServiceAccount db/postgres']));
    const after = applications(dir).find(a => a.metadata.name === 'delivery-data');
    expect(desiredObjects(dir, after).map(keyOf)).toContain('StatefulSet db/postgres');
  });

  test('plan reports every object that changes Application, the StatefulSet with what its prune deletes: exit 1', () => {
    const dir = committedShop({ db: true, argocd: true });
    configure(dir, { db: true, argocd: true, dbChart: 'data' });
    const { code, out } = planCli(dir);
    expect(code).toBe(1);
    expect(out).toContain('ERROR StatefulSet db/postgres: moves from Application delivery-db to Application delivery-data: delivery-db no longer holds it, '
      + 'so its sync prunes the live object and its pods (its claims data-postgres-<ordinal> (50Gi each) stay) (automated prune), while delivery-data creates it again');
    expect(out).toContain('annotate it argocd.argoproj.io/sync-options: Prune=false and sync delivery-db before moving it, or accept the prune (plan --allow-prune)');
    const moved = out.split('\n').filter(l => l.includes('moves from Application delivery-db to Application delivery-data'));
    expect(moved.length).toBeGreaterThanOrEqual(4);
    // the Namespace stays in chart db, with its Application: not reported
    expect(out).not.toMatch(/Namespace db: moves/);
    const accepted = planCli(dir, '--allow-prune');
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('WARNING StatefulSet db/postgres: moves from Application delivery-db');
  });

  test('healthy twin: the database left in its chart, other changes made, reports no move', () => {
    const dir = committedShop({ db: true, argocd: true });
    configure(dir, { db: true, argocd: true, allow: true });
    const { code, out } = planCli(dir);
    expect(out).not.toContain('moves from');
    expect(code).toBe(0);
  });
});
