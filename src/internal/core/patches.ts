import { ApiObject } from 'cdk8s';

/**
 * Whether the object carries no JSON patch (false when that cannot be told). An unpatched object
 * is exactly what the construct wrote, so checks that read the final objects can read the
 * construct's own data instead of a full `toJson()`.
 */
export function isUnpatched(object: ApiObject): boolean {
  const patches = (object as unknown as { patches?: unknown }).patches;
  return Array.isArray(patches) && patches.length === 0;
}
