/**
 * Whether `key` is an own property of `object`: lookups keyed by user input must not see
 * `Object.prototype` (`'toString' in {}` is true, `MODES['constructor']` is a function).
 */
export function hasOwn(object: object, key: PropertyKey): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
