import { joinKey as join } from './problems';

/**
 * The set of fields a value may have, used to reject unknown fields
 * (the Kubernetes API server prunes or rejects them; validators that ignore them hide typos).
 */
export type Shape =
  | { readonly type: 'any' }
  | { readonly type: 'leaf' }
  | { readonly type: 'array'; readonly items: Shape }
  | { readonly type: 'map'; readonly values: Shape }
  | { readonly type: 'object'; readonly properties: () => Record<string, Shape> };

/** A value that may hold anything (e.g. `IntOrString`, raw extensions). */
export const ANY: Shape = { type: 'any' };
/** A scalar; its type is checked by the schema validators, not here. */
export const LEAF: Shape = { type: 'leaf' };

/**
 * Walks `value` along `shape` and returns one message per field the shape does not declare.
 * Type mismatches are left to the schema validators.
 */
export function unknownFields(value: unknown, shape: Shape, path: string): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  const walk = (v: unknown, s: Shape, p: string): void => {
    if (v === null || v === undefined || typeof v !== 'object') return;
    switch (s.type) {
      case 'array':
        if (Array.isArray(v)) v.forEach((item, i) => walk(item, s.items, join(p, i)));
        return;
      case 'map':
        if (!Array.isArray(v)) for (const [k, item] of Object.entries(v)) walk(item, s.values, join(p, k));
        return;
      case 'object': {
        if (Array.isArray(v)) return;
        const props = s.properties();
        for (const [k, item] of Object.entries(v)) {
          const sub = props[k];
          if (!sub) {
            const known = Object.keys(props).sort().join(', ');
            out.push({ path: join(p, k), message: `unknown field "${k}" (allowed: ${known})` });
          } else {
            walk(item, sub, join(p, k));
          }
        }
        return;
      }
      default:
        return;
    }
  };
  walk(value, shape, path);
  return out;
}
