import { IConstruct } from 'constructs';
import { ResourceRequirements, ResourceSpec } from '../../container-basics';
import { propError } from '../core/errors';
import { QuantityKind, resolveQuantity } from '../core/quantity';
import { checkOptionalObject } from '../core/validate';

const DEFAULT_CPU_REQUEST = '100m';
const DEFAULT_MEMORY = '256Mi';

/** Container resources as written to the manifest. */
export interface ContainerResources {
  readonly requests: { cpu: string; memory: string };
  readonly limits: { cpu?: string; memory: string };
}

/**
 * Resolves the resource defaults (cpu request 100m, no cpu limit; memory request and limit
 * 256Mi, the limit equal to the request) and validates every quantity and that no limit is
 * below its request.
 */
export function resolveResources(scope: IConstruct, prop: string, resources: ResourceRequirements | undefined): ContainerResources {
  checkOptionalObject(scope, prop, resources, '{ cpu: { request: "250m" }, memory: { request: "256Mi", limit: "512Mi" } }');
  const cpu = resolveSpec(scope, `${prop}.cpu`, resources?.cpu, 'cpu', DEFAULT_CPU_REQUEST, false);
  const memory = resolveSpec(scope, `${prop}.memory`, resources?.memory, 'memory', DEFAULT_MEMORY, true);
  const limits: { cpu?: string; memory: string } = { memory: memory.limit! };
  if (cpu.limit !== undefined) limits.cpu = cpu.limit;
  return { requests: { cpu: cpu.request, memory: memory.request }, limits };
}

function resolveSpec(scope: IConstruct, prop: string, spec: ResourceSpec | undefined, kind: QuantityKind,
  defaultRequest: string, limitDefaultsToRequest: boolean): { request: string; limit?: string } {
  checkOptionalObject(scope, prop, spec, `{ request: ${kind === 'cpu' ? '"250m"' : '"256Mi"'}, limit: ${kind === 'cpu' ? '"1"' : '"512Mi"'} } (a string alone is not a ResourceSpec)`);
  const request = spec?.request ?? spec?.limit ?? defaultRequest;
  const requested = resolveQuantity(scope, `${prop}.request`, request, kind);
  if (requested.value <= 0) throw propError(scope, `${prop}.request`, request, 'must be greater than zero');
  const limit = spec?.limit ?? (limitDefaultsToRequest ? request : undefined);
  if (limit === undefined) return { request: requested.canonical };
  const limited = resolveQuantity(scope, `${prop}.limit`, limit, kind);
  if (limited.value < requested.value) {
    throw propError(scope, `${prop}.limit`, limit, `must not be below the request ${JSON.stringify(request)}; raise the limit or lower the request`);
  }
  // written in the canonical form the API server stores ('0.5' → '500m'), so GitOps sees no drift
  return { request: requested.canonical, limit: limited.canonical };
}

/**
 * Merges per-track resource overrides over shared ones, resource by resource.
 */
export function mergeResources(base: ResourceRequirements | undefined, override: ResourceRequirements | undefined): ResourceRequirements | undefined {
  if (!override) return base;
  return { cpu: override.cpu ?? base?.cpu, memory: override.memory ?? base?.memory };
}
