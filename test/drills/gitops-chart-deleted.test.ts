// Drill: a chart deleted, and a stale output folder. `cloudnative-constructs plan` must report
// the objects ArgoCD prunes when a chart holding a Namespace and a 50Gi StatefulSet is deleted,
// and exit non-zero — whatever the output folder of the working tree holds. The app here uses
// plain cdk8s `app.synth()`, which never removes a file (only `cdk8s synth` empties the folder).
// ArgoCD prunes, with automated `prune: true`, every live object its files no longer hold:
// https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning
//
// On main before this change (run against it): plan synthesised into dist/ and read dist/ back, where app.synth()
// had left db.k8s.yaml: "0 to remove, 0 error(s)", exit 0; stale files in dist/ showed as added;
// an output folder never committed read as "everything added", exit 0. All three drills failed;
// the healthy twin held.
import * as fs from 'fs';
import * as path from 'path';
import { committedShop, configure, git, planCli, synthInto } from './gitops-fixture';

jest.setTimeout(120_000);

describe('drill: a chart deleted (plan)', () => {
  test('deleting the db chart (Namespace db, StatefulSet with a 50Gi claim) is reported as prunes: exit 1', () => {
    // GIVEN main with the shop and the db chart committed
    const dir = committedShop({ db: true, dbSize: '50Gi' });
    // WHEN the db chart is deleted from the code (nothing else done)
    configure(dir, {});
    const summary = path.join(dir, 'summary.md');
    const { code, out } = planCli(dir, '--summary', summary);
    // THEN every object of the chart is a prune (12: the StatefulApp's peer policies too), the namespace and the database first among them
    expect(code).toBe(1);
    expect(out).toMatch(/^Plan: 0 to add, 0 to change, 12 to remove, \d+ unchanged; 12 error\(s\), 0 warning\(s\)/);
    expect(out).toContain('ERROR Namespace db: removed: ArgoCD prunes the live object and everything in the namespace');
    expect(out).toContain('ERROR StatefulSet db/postgres: removed: ArgoCD prunes the live object and its pods (its claims data-postgres-<ordinal> (50Gi each) stay)');
    expect(fs.readFileSync(summary, 'utf8')).toContain('**error** `Namespace db`');
    // accepting the prune keeps it in sight, as warnings
    const accepted = planCli(dir, '--allow-prune');
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain('WARNING Namespace db: removed');
  });

  test('healthy twin: the code unchanged is "0 to add, 0 to change, 0 to remove", exit 0', () => {
    const dir = committedShop({ db: true });
    const { code, out } = planCli(dir);
    expect({ code, out: out.split('\n')[0] }).toEqual({ code: 0, out: expect.stringMatching(/^Plan: 0 to add, 0 to change, 0 to remove, \d+ unchanged; 0 error\(s\), 0 warning\(s\)$/) });
  });
});

describe('drill: a stale output folder (plan never reads it)', () => {
  test('after the chart is deleted and app.synth() leaves its file in dist/, plus junk, plan still reports the prunes and no junk', () => {
    const dir = committedShop({ db: true });
    configure(dir, {});
    synthInto(dir); // dist/db.k8s.yaml stays: app.synth() removes nothing
    fs.writeFileSync(path.join(dir, 'dist', 'old.k8s.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: leftover, namespace: shop }\n');
    expect(fs.existsSync(path.join(dir, 'dist', 'db.k8s.yaml'))).toBe(true);
    const { code, out } = planCli(dir);
    expect(code).toBe(1);
    expect(out).toContain('ERROR Namespace db: removed');
    expect(out).not.toContain('leftover');
  });

  test('an output folder never committed at the base is an error, not "everything added"', () => {
    const dir = committedShop({});
    git(dir, 'rm', '-rq', '--cached', 'dist');
    git(dir, 'commit', '-qm', 'output not committed');
    const { code, err } = planCli(dir);
    expect(code).toBe(2);
    expect(err).toContain('nothing is committed under "dist" at HEAD');
  });
});
