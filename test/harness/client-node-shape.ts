import { ANY, LEAF, Shape } from './shape';

// @kubernetes/client-node 1.x is CommonJS; only its static type maps are used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const models: Record<string, any> = require('@kubernetes/client-node');

const cache = new Map<string, Shape>();

/**
 * Converts a @kubernetes/client-node type name (`V1Container`, `Array<V1EnvVar>`,
 * `{ [key: string]: string; }`, `IntOrString`, ...) into a {@link Shape}.
 */
export function clientNodeShape(type: string): Shape {
  const hit = cache.get(type);
  if (hit) return hit;
  let shape: Shape;
  const array = /^Array<(.+)>$/.exec(type);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (array) {
    shape = { type: 'array', items: clientNodeShape(array[1]) };
  } else if (map) {
    shape = { type: 'map', values: clientNodeShape(map[1]) };
  } else if (typeof models[type]?.getAttributeTypeMap === 'function') {
    let props: Record<string, Shape> | undefined;
    shape = {
      type: 'object',
      properties: () => {
        props ??= Object.fromEntries(
          (models[type].getAttributeTypeMap() as Array<{ baseName: string; type: string }>).map((a) => [a.baseName, clientNodeShape(a.type)]),
        );
        return props;
      },
    };
  } else if (['string', 'number', 'boolean', 'Date'].includes(type)) {
    shape = LEAF;
  } else {
    // IntOrString, any, object, RawExtension-like types: leave open.
    shape = ANY;
  }
  cache.set(type, shape);
  return shape;
}

/** The client-node model shape of a top-level kind, or undefined when client-node has no model for it. */
export function topLevelShape(apiVersion: string, kind: string): Shape | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const candidates = [`${cap(group.split('.')[0])}${cap(version)}${kind}`, `${cap(version)}${kind}`];
  const name = candidates.find((c) => typeof models[c]?.getAttributeTypeMap === 'function');
  return name ? clientNodeShape(name) : undefined;
}

/** Shape of `metadata` (ObjectMeta), shared by CRD validators. */
export function objectMetaShape(): Shape {
  return clientNodeShape('V1ObjectMeta');
}
