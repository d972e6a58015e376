/**
 * Whether `x` carries `brand`, a `Symbol.for` key its constructor defined on it: unlike
 * `instanceof`, this holds across two copies of the package in one app.
 */
export function hasBrand(x: unknown, brand: symbol): boolean {
  return typeof x === 'object' && x !== null && brand in x;
}

/** The `is<Construct>()` check of the instances that carry `brand` (see {@link hasBrand}). */
export function brandCheck<T>(brand: symbol): (x: unknown) => x is T {
  return (x: unknown): x is T => hasBrand(x, brand);
}
