import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ResourceSpec } from '../../container-basics';
import { propError } from '../core/errors';
import { canonicalQuantity, checkQuantity, parseQuantity, QuantityKind } from '../core/quantity';
import { finalPodTemplate, POD_OWNER_KINDS, ContainerJson } from '../workload/pod-templates';

/** Per-resource bounds of a LimitRange (`min` / `max`). */
export interface ResourceBounds {
  /**
   * Cpu quantity, e.g. `'2'`.
   * @default - cpu is not bounded
   */
  readonly cpu?: string;
  /**
   * Memory quantity, e.g. `'4Gi'`.
   * @default - memory is not bounded
   */
  readonly memory?: string;
}

/** The LimitRange props of a SecureNamespace, as given. */
export interface LimitRangeInput {
  readonly defaultCpu?: ResourceSpec;
  readonly defaultMemory?: ResourceSpec;
  readonly max?: ResourceBounds;
  readonly min?: ResourceBounds;
}

type Resource = 'cpu' | 'memory';
const RESOURCES: readonly Resource[] = ['cpu', 'memory'];
type Field = 'min' | 'defaultRequest' | 'default' | 'max';
/** The fields of a LimitRange item, in the order their values must rise. */
const ORDER: readonly Field[] = ['min', 'defaultRequest', 'default', 'max'];

/** The `spec.limits[0]` of a Container LimitRange, written only with what was asked for. */
export interface LimitRangeItem {
  readonly type: 'Container';
  readonly min?: Record<string, string>;
  readonly defaultRequest?: Record<string, string>;
  readonly default?: Record<string, string>;
  readonly max?: Record<string, string>;
}

/** The prop each field of each resource comes from, for messages. */
function propOf(field: Field, resource: Resource): string {
  const spec = resource === 'cpu' ? 'limits.defaultCpu' : 'limits.defaultMemory';
  if (field === 'defaultRequest') return `${spec}.request`;
  if (field === 'default') return `${spec}.limit`;
  return `limits.${field}.${resource}`;
}

/**
 * Builds the Container item of the namespace's LimitRange: default requests (cpu 100m, memory
 * 256Mi), a default memory limit (256Mi) and — agreeing with the workloads' own defaults — no
 * default cpu limit unless `defaultCpu.limit` is given; `min` and `max` as given. Fails when the
 * values would not rise min ≤ default request ≤ default limit ≤ max (the API server refuses such
 * a LimitRange).
 */
export function buildLimitRangeItem(scope: IConstruct, limits: LimitRangeInput): LimitRangeItem {
  const values: Record<Field, Partial<Record<Resource, string>>> = { min: {}, defaultRequest: {}, default: {}, max: {} };
  const cpu = defaults(scope, 'limits.defaultCpu', limits.defaultCpu ?? { request: '100m' }, 'cpu', false);
  const memory = defaults(scope, 'limits.defaultMemory', limits.defaultMemory ?? { request: '256Mi', limit: '256Mi' }, 'memory', true);
  values.defaultRequest = { cpu: cpu.request, memory: memory.request };
  if (cpu.limit !== undefined) values.default.cpu = cpu.limit;
  if (memory.limit !== undefined) values.default.memory = memory.limit;
  for (const field of ['min', 'max'] as const) {
    const bounds = limits[field];
    if (bounds === undefined) continue;
    if (typeof bounds !== 'object' || bounds === null || Array.isArray(bounds)) {
      throw propError(scope, `limits.${field}`, bounds, 'must be { cpu?, memory? }, e.g. { cpu: "2", memory: "4Gi" }');
    }
    for (const resource of RESOURCES) {
      const value = bounds[resource];
      if (value === undefined) continue;
      if (checkQuantity(scope, `limits.${field}.${resource}`, value, resource) <= 0) {
        throw propError(scope, `limits.${field}.${resource}`, value, 'must be greater than zero');
      }
      values[field][resource] = canonicalQuantity(value)!; // as the API server stores it: no GitOps drift
    }
  }
  for (const resource of RESOURCES) {
    const present = ORDER.filter(f => values[f][resource] !== undefined);
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const [low, high] = [present[i], present[j]];
        if (parseQuantity(values[low][resource]!)! > parseQuantity(values[high][resource]!)!) {
          throw propError(scope, propOf(high, resource), values[high][resource],
            `must not be below ${propOf(low, resource)} ${JSON.stringify(values[low][resource])}: a LimitRange needs min ≤ default request ≤ default limit ≤ max, or the API server refuses it`);
        }
      }
    }
  }
  const item: { -readonly [K in keyof LimitRangeItem]: LimitRangeItem[K] } = { type: 'Container' };
  for (const field of ORDER) {
    if (Object.keys(values[field]).length > 0) item[field] = values[field] as Record<string, string>;
  }
  return item;
}

function defaults(scope: IConstruct, prop: string, spec: ResourceSpec, kind: QuantityKind,
  limitDefaultsToRequest: boolean): { request: string; limit?: string } {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw propError(scope, prop, spec, 'must be { request, limit }');
  const request = spec.request ?? spec.limit;
  const limit = spec.limit ?? (limitDefaultsToRequest ? spec.request : undefined);
  if (request === undefined) throw propError(scope, prop, spec, 'must set a request or a limit');
  if (checkQuantity(scope, `${prop}.request`, request, kind) <= 0) throw propError(scope, `${prop}.request`, request, 'must be greater than zero');
  if (limit !== undefined) checkQuantity(scope, `${prop}.limit`, limit, kind);
  // written in the canonical form the API server stores ('0.5' → '500m'), so GitOps sees no drift
  return { request: canonicalQuantity(request)!, limit: limit === undefined ? undefined : canonicalQuantity(limit) };
}

/**
 * The LimitRange as the API server applies it: a `max` without a `default` becomes the default
 * limit, a `default` without a `defaultRequest` the default request, and a `min` without either
 * the default request (Kubernetes `SetDefaults_LimitRangeItem`).
 */
function effectiveItem(item: Record<string, Record<string, string> | undefined>): Record<Field, Record<string, string>> {
  const out: Record<Field, Record<string, string>> = {
    min: { ...item.min }, defaultRequest: { ...item.defaultRequest }, default: { ...item.default }, max: { ...item.max },
  };
  for (const [k, v] of Object.entries(out.max)) out.default[k] ??= v;
  for (const [k, v] of Object.entries(out.default)) out.defaultRequest[k] ??= v;
  for (const [k, v] of Object.entries(out.min)) out.defaultRequest[k] ??= v;
  return out;
}

/** The namespace-level resource objects a check reads (after users' JSON patches). */
export interface NamespaceResourceSource {
  /** The namespace they govern. */
  readonly namespace: string;
  /** The construct path of the SecureNamespace that wrote them. */
  readonly path: string;
  /** The LimitRange, if any. */
  readonly limitRange?: ApiObject;
  /** The ResourceQuota, if any. */
  readonly quota?: ApiObject;
}

/**
 * Every container of the App's pod-owning objects in the namespace that its LimitRange and
 * ResourceQuota would make the API server refuse: a request above the cpu or memory limit the
 * LimitRange injects, a limit above its `max` or a request below its `min`, or no limit (request)
 * of a resource whose `limits.*` (`requests.*`) the quota caps. Reads the final objects (after
 * JSON patches); each problem names the workload, the namespace object and the fix.
 */
export function namespaceResourceProblems(source: NamespaceResourceSource, objects: readonly IConstruct[]): string[] {
  const range = source.limitRange?.toJson() as { metadata?: { name?: string }; spec?: { limits?: Array<Record<string, any>> } } | undefined;
  const items = (range?.spec?.limits ?? []).filter(l => l.type === 'Container').map(effectiveItem);
  const quota = source.quota?.toJson() as { metadata?: { name?: string }; spec?: { hard?: Record<string, string> } } | undefined;
  const hard = quota?.spec?.hard ?? {};
  const capped = RESOURCES.flatMap(r => (['requests', 'limits'] as const).filter(k => hard[`${k}.${r}`] !== undefined || (k === 'requests' && hard[r] !== undefined)).map(k => ({ resource: r, kind: k })));
  if (items.length === 0 && capped.length === 0) return [];
  const where = `of namespace ${JSON.stringify(source.namespace)} (${source.path})`;
  const context = {
    range: `LimitRange ${JSON.stringify(range?.metadata?.name)} ${where}`,
    quota: `ResourceQuota ${JSON.stringify(quota?.metadata?.name)} ${where}`,
    items,
    capped,
  };
  const problems: string[] = [];
  for (const object of objects) {
    if (!ApiObject.isApiObject(object) || !POD_OWNER_KINDS.includes(object.kind) || object.metadata.namespace !== source.namespace) continue;
    const template = finalPodTemplate(object);
    const owner = `${object.kind} ${JSON.stringify(object.name)} (${object.node.scope?.node.path ?? object.node.path})`;
    for (const container of [...template?.spec?.initContainers ?? [], ...template?.spec?.containers ?? []]) {
      problems.push(...containerProblems(container, owner, context));
    }
  }
  return problems;
}

interface CheckContext {
  readonly range: string;
  readonly quota: string;
  readonly items: ReadonlyArray<Record<Field, Record<string, string>>>;
  readonly capped: ReadonlyArray<{ resource: Resource; kind: 'requests' | 'limits' }>;
}

function containerProblems(container: ContainerJson, owner: string, context: CheckContext): string[] {
  const problems: string[] = [];
  const who = `${owner} container ${JSON.stringify(container.name)}`;
  for (const resource of RESOURCES) {
    const given = { request: container.resources?.requests?.[resource], limit: container.resources?.limits?.[resource] };
    // The API server defaults a missing request to the limit before the LimitRanger runs.
    let request = given.request ?? given.limit;
    let limit = given.limit;
    for (const item of context.items) {
      request ??= item.defaultRequest[resource];
      limit ??= item.default[resource];
    }
    const injected = given.limit === undefined && limit !== undefined;
    const r = request === undefined ? undefined : parseQuantity(request);
    const l = limit === undefined ? undefined : parseQuantity(limit);
    if (injected && r !== undefined && l !== undefined && r > l) {
      problems.push(`${who} requests ${resource} ${JSON.stringify(request)}, above the ${resource} limit ${JSON.stringify(limit)} that ${context.range} injects into containers without a ${resource} limit; the API server refuses its pods ("must be less than or equal to ${resource} limit"): give the workload a ${resource} limit of at least ${JSON.stringify(request)} (resources.${resource}.limit), or raise or remove the LimitRange's default ${resource} limit (limits.default${resource === 'cpu' ? 'Cpu' : 'Memory'}.limit, or limits.max.${resource}, which becomes the default limit)`);
    }
    for (const item of context.items) {
      const max = item.max[resource];
      if (max !== undefined && l !== undefined && l > parseQuantity(max)!) {
        problems.push(`${who} has ${resource} limit ${JSON.stringify(limit)}, above the maximum ${JSON.stringify(max)} of ${context.range}; the API server refuses its pods: lower resources.${resource}.limit to at most ${JSON.stringify(max)}, or raise limits.max.${resource}`);
      }
      const min = item.min[resource];
      if (min !== undefined && r !== undefined && r < parseQuantity(min)!) {
        problems.push(`${who} requests ${resource} ${JSON.stringify(request)}, below the minimum ${JSON.stringify(min)} of ${context.range}; the API server refuses its pods: raise resources.${resource}.request to at least ${JSON.stringify(min)}, or lower limits.min.${resource}`);
      }
    }
    for (const { kind } of context.capped.filter(c => c.resource === resource)) {
      if (kind === 'limits' && limit === undefined) {
        problems.push(`${who} has no ${resource} limit, but ${context.quota} caps limits.${resource}, so the API server refuses its pods ("must specify limits.${resource}"): give the workload resources.${resource}.limit, give the LimitRange a default (limits.default${resource === 'cpu' ? 'Cpu' : 'Memory'}.limit), or cap only requests (quota.${resource}: { request })`);
      }
      if (kind === 'requests' && request === undefined) {
        problems.push(`${who} has no ${resource} request, but ${context.quota} caps requests.${resource}, so the API server refuses its pods ("must specify requests.${resource}"): give the workload resources.${resource}.request, or keep the LimitRange's default request`);
      }
    }
  }
  return problems;
}
