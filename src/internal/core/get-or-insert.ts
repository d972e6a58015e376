/**
 * The value `map` holds for `key`, computed by `create` and stored the first time it is asked
 * for: the per-app registries (keyed by the app's root construct) and their entries.
 */
export function getOrInsert<K extends object, V>(map: WeakMap<K, V>, key: K, create: () => V): V;
export function getOrInsert<K, V>(map: Map<K, V>, key: K, create: () => V): V;
export function getOrInsert<K extends object, V>(map: Map<K, V> | WeakMap<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
