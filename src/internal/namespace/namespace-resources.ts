import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ResourceSpec } from '../../container-basics';
import { propError } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { claimName } from '../core/name-registry';
import { canonicalQuantity, checkQuantity, QuantityKind, resolveQuantity } from '../core/quantity';
import { checkInteger } from '../core/validate';

/** A quota on one resource: a string caps requests and limits alike (cpu: requests only). */
export type QuotaValue = string | ResourceSpec;

/** Creates the cluster-scoped Namespace (without the chart's namespace in its metadata). */
export function createNamespace(scope: Construct, name: string, labels: Record<string, string>): ApiObject {
  claimName(scope, 'name', 'Namespace', name, '');
  const namespace = new ApiObject(scope, 'Namespace', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels },
  });
  if (Chart.of(scope).namespace !== undefined) namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return namespace;
}

function quotaEntries(scope: Construct, prop: string, value: QuotaValue | undefined, kind: QuantityKind): Record<string, string> {
  if (value === undefined) return {};
  // A cpu quantity caps requests only: workloads set no cpu limit by default, and a limits.cpu
  // quota would refuse every container without one.
  const spec: ResourceSpec = typeof value === 'string' ? { request: value, limit: kind === 'cpu' ? undefined : value } : value;
  if (typeof spec !== 'object' || spec === null || (spec.request === undefined && spec.limit === undefined)) {
    throw propError(scope, prop, value, `must be a quantity string or { request, limit } (e.g. ${kind === 'cpu' ? '"8"' : '"16Gi"'})`);
  }
  const out: Record<string, string> = {};
  if (spec.request !== undefined) {
    out[`requests.${kind}`] = resolveQuantity(scope, `${prop}.request`, spec.request, kind).canonical;
  }
  if (spec.limit !== undefined) {
    const limit = resolveQuantity(scope, `${prop}.limit`, spec.limit, kind);
    if (spec.request !== undefined && limit.value < checkQuantity(scope, `${prop}.request`, spec.request, kind)) {
      throw propError(scope, `${prop}.limit`, spec.limit, `must not be below the request ${JSON.stringify(spec.request)}`);
    }
    out[`limits.${kind}`] = limit.canonical;
  }
  return out;
}

/** The `spec.hard` of a ResourceQuota from the quota props, validated. */
export function quotaHard(scope: Construct, quota: { cpu?: QuotaValue; memory?: QuotaValue; pods?: number }): Record<string, string> {
  if (typeof quota !== 'object' || quota === null) throw propError(scope, 'quota', quota, 'must be an object such as { cpu: "8", memory: "16Gi", pods: 50 }');
  const hard = { ...quotaEntries(scope, 'quota.cpu', quota.cpu, 'cpu'), ...quotaEntries(scope, 'quota.memory', quota.memory, 'memory') };
  // a count is a quantity too: the API server stores 1000 pods as "1k"
  if (quota.pods !== undefined) hard.pods = canonicalQuantity(String(checkInteger(scope, 'quota.pods', quota.pods, 1)))!;
  if (Object.keys(hard).length === 0) throw propError(scope, 'quota', quota, 'must cap at least one of cpu, memory or pods; omit it for no quota');
  return hard;
}

/** Labels of a namespace-level object of `namespace`. */
export function namespaceObjectLabels(namespace: string, instance: string, component: string): Record<string, string> {
  return recommendedLabels({ name: namespace, instance, component, partOf: namespace });
}
