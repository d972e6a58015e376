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

/** How much of a long value is shown around the part that changes, on each side. */
const CONTEXT = 24;

/**
 * Both values of a change as shown in a report: JSON, each at most about `max` characters. When a
 * value is longer, the part that differs is shown (with a little context and `…` for what is
 * left out), never the same prefix on both sides.
 */
export function showChange(before: unknown, after: unknown, max = 80): [string, string] {
  const a = before === undefined ? '(none)' : JSON.stringify(before);
  const b = after === undefined ? '(none)' : JSON.stringify(after);
  if (a.length <= max && b.length <= max) return [a, b];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, start - CONTEXT);
  const excerpt = (text: string) => {
    const to = Math.min(text.length, Math.max(text.length - end + CONTEXT, from + 1));
    const middle = text.slice(from, to);
    const cut = middle.length > max ? `${middle.slice(0, max - 1)}…` : middle;
    return `${from > 0 ? '…' : ''}${cut}${to < text.length && middle.length <= max ? '…' : ''}`;
  };
  return [excerpt(a), excerpt(b)];
}
