import * as fc from 'fast-check';
import * as arb from './arbitraries';
import { planManifests } from '../../src';

const KINDS: Array<[string, string]> = [
  ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['v1', 'Service'], ['v1', 'ConfigMap'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'], ['batch/v1', 'Job'], ['v1', 'PersistentVolumeClaim'],
];

const manifest = fc.record({
  kind: fc.constantFrom(...KINDS),
  name: arb.resourceName,
  namespace: fc.constantFrom('shop', 'billing'),
  spec: fc.dictionary(fc.constantFrom('replicas', 'selector', 'template', 'serviceName', 'clusterIP', 'accessModes'), fc.jsonValue(), { maxKeys: 3 }),
  roleRef: fc.option(fc.record({ name: fc.constantFrom('view', 'edit') }), { nil: undefined }),
}).map(m => ({
  apiVersion: m.kind[0],
  kind: m.kind[1],
  metadata: { name: m.name, namespace: m.namespace },
  spec: m.spec,
  ...(m.roleRef ? { roleRef: m.roleRef } : {}),
}));

/** Objects with distinct identities (group, kind, namespace, name). */
const manifests = fc.uniqueArray(manifest, { maxLength: 8, selector: m => `${m.apiVersion}/${m.kind}/${m.metadata.namespace}/${m.metadata.name}` });

describe('plan properties', () => {
  test('a synthesis identical to the committed output plans nothing', () => {
    fc.assert(fc.property(manifests, (objects) => {
      const result = planManifests(objects, structuredClone(objects));
      expect(result).toEqual({ added: [], changed: [], removed: [], unchanged: objects.length, findings: [], ok: true });
    }), { numRuns: arb.RUNS });
  });

  test('every object is accounted for once, and only changed or removed objects have findings', () => {
    fc.assert(fc.property(manifests, manifests, (committed, next) => {
      const result = planManifests(committed, next);
      expect(result.added.length + result.changed.length + result.unchanged).toBe(next.length);
      expect(result.removed.length + result.changed.length + result.unchanged).toBe(committed.length);
      const touched = new Set([...result.changed.map(c => c.object), ...result.removed]);
      for (const f of result.findings) expect(touched.has(f.object)).toBe(true);
      expect(result.ok).toBe(result.findings.every(f => f.severity !== 'error'));
      // removals are always reported, and as warnings only when pruning is allowed
      expect(planManifests(committed, next, { allowPrune: true }).findings.filter(f => f.field === undefined).every(f => f.severity === 'warning')).toBe(true);
      expect(result.findings.filter(f => f.field === undefined).length).toBe(result.removed.length);
    }), { numRuns: arb.RUNS });
  });
});
