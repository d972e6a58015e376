/*
 * Kubernetes' strategic merge patch, as far as a Deployment's pod template needs it: maps merge
 * key by key, `null` deletes a key, lists of the pod spec that Kubernetes merges by a key
 * (`patchStrategy: merge` in the API types: containers and volumes by name, ports by
 * containerPort, …) merge item by item, every other list is replaced. The `$patch` and
 * `$retainKeys` directives are not modelled.
 * @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/#notes-on-the-strategic-merge-patch
 */

/** Lists merged by a key (field name → merge key), from the Kubernetes core and apps API types. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  env: 'name',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `original` with `patch` applied by strategic merge (neither is changed). */
export function strategicMerge(original: unknown, patch: unknown, field?: string): unknown {
  if (isMap(original) && isMap(patch)) {
    const out: Record<string, unknown> = { ...original };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in original ? strategicMerge(original[key], value, key) : value;
    }
    return out;
  }
  const mergeKey = field === undefined ? undefined : MERGE_KEYS[field];
  if (Array.isArray(original) && Array.isArray(patch) && mergeKey !== undefined) {
    const out = [...original];
    for (const item of patch) {
      const index = isMap(item) ? out.findIndex(o => isMap(o) && o[mergeKey] === item[mergeKey]) : -1;
      if (index >= 0) out[index] = strategicMerge(out[index], item);
      else out.push(item);
    }
    return out;
  }
  return patch;
}
