import { manifestsOf } from '../manifests';
import { describe, Manifest } from '../problems';
import { hint, MatcherContext, MatcherResult, orMatcherError } from './context';

/**
 * Passes when an object of `kind` named `name` exists and, when `partial` is given, contains it
 * (the semantics of `toMatchObject`: nested objects may have more fields, arrays match element by
 * element, asymmetric matchers such as `expect.any(String)` work).
 */
export function toHaveObject(this: MatcherContext, received: unknown, kind: string, name: string, partial?: object): MatcherResult {
  const line = hint(this, 'toHaveObject', partial === undefined ? 'kind, name' : 'kind, name, partial');
  const objects = orMatcherError(this, line, () => manifestsOf(received));
  const candidates = objects.filter((o) => o?.kind === kind && o.metadata?.name === name);
  const label = `${kind} "${name}"`;
  if (candidates.length === 0) {
    const others = objects.map(describe);
    return {
      pass: false,
      message: () => `${line}\n\nExpected: an object ${label}\nReceived: none among ${others.length} object${others.length === 1 ? '' : 's'}: ${others.slice(0, 30).join(', ') || 'none'}${others.length > 30 ? ', …' : ''}`,
    };
  }
  const testers = [this.utils.iterableEquality, this.utils.subsetEquality];
  const match = partial === undefined ? candidates[0] : candidates.find((o) => this.equals(o, partial, testers));
  if (match) {
    return {
      pass: true,
      message: () => `${line}\n\nExpected: no object ${label}${partial === undefined ? '' : ` containing ${this.utils.printExpected(partial)}`}\nReceived: ${describe(match)}`,
    };
  }
  const closest = candidates[0];
  return {
    pass: false,
    message: () => `${line}\n\n${describe(closest)} does not contain the expected fields\n\n`
      + this.utils.printDiffOrStringify(partial, subsetOf(closest, partial), 'Expected', 'Received', this.expand !== false),
  };
}

/** The parts of `value` that `pattern` names (what `toMatchObject` shows in its diff). */
function subsetOf(value: unknown, pattern: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(pattern) && value.length === pattern.length) return value.map((v, i) => subsetOf(v, pattern[i]));
  if (isPlainObject(value) && isPlainObject(pattern)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(pattern)) if (key in value) out[key] = subsetOf((value as Manifest)[key], (pattern as Manifest)[key]);
    return out;
  }
  return value;
}

function isPlainObject(x: unknown): x is object {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { asymmetricMatch?: unknown }).asymmetricMatch !== 'function';
}
