/** One changed field: its path (`spec.template.spec.containers[web].image`) and both values. */
export interface FieldChange {
  /** Path of the field; list entries that carry a `name` are addressed by it. */
  readonly path: string;
  /**
   * The committed value.
   * @default - the field was added
   */
  readonly before?: unknown;
  /**
   * The new value.
   * @default - the field was removed
   */
  readonly after?: unknown;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** List entries addressed by `name` when every entry has a distinct one (containers, ports, volumes, env). */
function namedEntries(list: readonly unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.name !== 'string' || map.has(entry.name)) return undefined;
    map.set(entry.name, entry);
  }
  return map;
}

function join(path: string, key: string): string {
  return path === '' ? key : /^[A-Za-z0-9_]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The leaf fields that differ between two JSON values, in document order. Lists whose entries
 * all carry a distinct `name` are compared by name, others by position; a value whose type
 * changes is one change.
 */
export function diffFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const out: FieldChange[] = [];
    const keys = [...Object.keys(before), ...Object.keys(after).filter(k => !(k in before))];
    for (const key of keys) out.push(...diffFields(before[key], after[key], join(path, key)));
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = namedEntries(before);
    const b = namedEntries(after);
    const out: FieldChange[] = [];
    if (a && b) {
      for (const [name, entry] of a) out.push(...diffFields(entry, b.get(name), `${path}[${name}]`));
      for (const [name, entry] of b) if (!a.has(name)) out.push({ path: `${path}[${name}]`, after: entry });
      return out;
    }
    const length = Math.max(before.length, after.length);
    for (let i = 0; i < length; i++) out.push(...diffFields(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (before === undefined && after === undefined) return [];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before, after }];
}

/** Whether two JSON values are equal (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return diffFields(a, b).length === 0;
}

/** A value as shown in a report: JSON, shortened to `max` characters. */
export function showValue(value: unknown, max = 80): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
