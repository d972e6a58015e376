import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import * as arb from './arbitraries';
import { libraryErrorOf } from './expect-library-error';
import * as lib from '../../src';
import { PropValidationError } from '../../src/internal/core/errors';
import { JsonSchema, resolveRef } from '../../src/internal/validation/describe-schema';
import SCHEMA from '../../src/internal/validation/props-schema.json';

// Wrong-typed values for EVERY prop of EVERY construct, derived from the generated props schema
// (not from a hand list): each exported `XProps` is built by the exported construct `X`; every
// prop path in its schema (nested options, list items, map values, union branches) receives
// every value of a wrong type, and an unknown option is added at every object level. The
// library must report its own PropValidationError naming exactly that prop path — never a
// TypeError, never silent acceptance. A construct added later is covered as soon as its props
// are in the schema.

const DOCUMENT = SCHEMA as unknown as JsonSchema & { props: Record<string, JsonSchema> };

type Segment = { kind: 'key'; key: string } | { kind: 'item' } | { kind: 'value' };
interface PropCase { readonly segments: readonly Segment[]; readonly schema: JsonSchema }

/** Resolves refs and returns the alternatives of a union (a non-union is its own alternative). */
function alternatives(schema: JsonSchema): JsonSchema[] {
  const resolved = resolveRef(DOCUMENT, schema);
  return resolved.anyOf ? resolved.anyOf.flatMap(alternatives) : [resolved];
}

const typesOf = (s: JsonSchema): string[] => (s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : [...s.type]);
const isObjectSchema = (s: JsonSchema) => typesOf(s).includes('object') && s.instanceOf === undefined;
const isArraySchema = (s: JsonSchema) => typesOf(s).includes('array');

/** Every prop path below `schema` (depth-limited), with the schema of the value there. */
function propCases(schema: JsonSchema, prefix: Segment[] = [], depth = 0): PropCase[] {
  if (depth > 6) return [];
  const out: PropCase[] = [];
  for (const alt of alternatives(schema)) {
    if (isObjectSchema(alt)) {
      for (const [key, child] of Object.entries(alt.properties ?? {})) {
        const segments: Segment[] = [...prefix, { kind: 'key', key }];
        out.push({ segments, schema: child }, ...propCases(child, segments, depth + 1));
      }
      if (typeof alt.additionalProperties === 'object') {
        const segments: Segment[] = [...prefix, { kind: 'value' }];
        out.push({ segments, schema: alt.additionalProperties }, ...propCases(alt.additionalProperties, segments, depth + 1));
      }
    }
    if (isArraySchema(alt) && alt.items) {
      const segments: Segment[] = [...prefix, { kind: 'item' }];
      out.push({ segments, schema: alt.items }, ...propCases(alt.items, segments, depth + 1));
    }
  }
  return out;
}

/** Whether a value has one of the types the schema allows (shallow: nested props are other cases). */
function hasAllowedType(schema: JsonSchema, value: unknown): boolean {
  return alternatives(schema).some(alt => {
    if (alt.instanceOf !== undefined) return typeof value === 'object' && value !== null && !Array.isArray(value);
    if (alt.const !== undefined) return value === alt.const;
    if (alt.enum !== undefined) return alt.enum.includes(value);
    const types = typesOf(alt);
    if (types.length === 0) return true;
    return types.some(t => (t === 'string' && typeof value === 'string')
      || (t === 'number' && typeof value === 'number' && Number.isFinite(value))
      || (t === 'integer' && Number.isInteger(value))
      || (t === 'boolean' && typeof value === 'boolean')
      || (t === 'null' && value === null)
      || (t === 'array' && Array.isArray(value))
      || (t === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)));
  });
}

/** Candidate values of every JSON type, plus prototype keys (`toString`) and NaN. */
const CANDIDATES: readonly unknown[] = [null, 5, 1.5, -1, NaN, Infinity, '', 'x', 'false', 'toString', 'constructor', true, false, {}, [], ['x'], [null], { x: 1 }];

/** A value the schema accepts (only the schema: semantics are never reached, the wrong value is reported first). */
function minimal(schema: JsonSchema, scope: Construct, depth = 0): unknown {
  const alts = alternatives(schema);
  const alt = alts.find(a => isObjectSchema(a)) ?? alts[0];
  if (depth > 8) return undefined;
  if (alt.instanceOf !== undefined) return alt.instanceOf === 'Duration' ? Duration.seconds(1) : scope;
  if (alt.const !== undefined) return alt.const;
  if (alt.enum !== undefined) return alt.enum[0];
  const type = typesOf(alt)[0];
  switch (type) {
    case 'object': return Object.fromEntries((alt.required ?? []).map(k => [k, minimal(alt.properties![k], scope, depth + 1)]));
    case 'array': return [];
    case 'string': return 'x';
    case 'number': case 'integer': return 1;
    case 'boolean': return true;
    default: return {};
  }
}

/** The union branch a path segment goes through: the list, the map, or the object that has the key. */
function pickAlternative(schema: JsonSchema, segment: Segment): JsonSchema {
  const found = alternatives(schema).find(a => (segment.kind === 'item' ? isArraySchema(a)
    : segment.kind === 'value' ? isObjectSchema(a) && typeof a.additionalProperties === 'object'
      : isObjectSchema(a) && a.properties?.[segment.key] !== undefined))
    ?? alternatives(schema).find(a => segment.kind === 'key' && isObjectSchema(a)); // an unknown key: any object branch
  if (!found) throw new Error(`no branch of ${JSON.stringify(schema)} holds ${JSON.stringify(segment)}`);
  return found;
}

/** Sets `value` at the path inside a copy of `root`, creating schema-valid parents on the way; returns the prop path in the library's notation. */
function setAt(root: Record<string, unknown>, rootSchema: JsonSchema, segments: readonly Segment[], value: unknown,
  scope: Construct): { props: Record<string, unknown>; prop: string } {
  const props = { ...root };
  let parent: any = props;
  let schema = rootSchema;
  let prop = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const container = pickAlternative(schema, segment);
    const key = segment.kind === 'key' ? segment.key : segment.kind === 'item' ? 0 : 'KEY';
    prop += segment.kind === 'item' ? '[0]' : prop === '' ? String(key) : `.${key}`;
    const childSchema = segment.kind === 'key' ? container.properties![segment.key] : segment.kind === 'item' ? container.items! : container.additionalProperties as JsonSchema;
    if (last) {
      parent[key] = value;
    } else {
      const existing = parent[key];
      const nextContainer = pickAlternative(childSchema, segments[i + 1]);
      const usable = segments[i + 1].kind === 'item' ? Array.isArray(existing) : typeof existing === 'object' && existing !== null && !Array.isArray(existing) && !('node' in existing);
      const copy = usable ? (Array.isArray(existing) ? [...existing] : { ...existing }) : segments[i + 1].kind === 'item' ? [] : minimal(nextContainer, scope) as object;
      parent[key] = copy;
      parent = copy;
    }
    schema = childSchema;
  });
  return { props, prop };
}

const propsTypes = Object.keys(DOCUMENT.props).sort();

function constructFor(propsType: string): new (scope: Construct, id: string, props: any) => Construct {
  const ctor = (lib as Record<string, unknown>)[propsType.replace(/Props$/, '')];
  if (typeof ctor !== 'function') throw new Error(`${propsType} has no exported construct ${propsType.replace(/Props$/, '')}; the props property test needs it`);
  return ctor as any;
}

describe('every prop of every construct, from the generated schema', () => {
  test('the schema covers the props of every exported construct', () => {
    const constructs = Object.entries(lib)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof Construct && !Object.prototype.isPrototypeOf.call(ApiObject.prototype, v.prototype) && v.length >= 3).map(([k]) => k)
      .filter(name => name !== 'CanaryReleaseTrack') // created by CanaryRelease only, from already validated props
      // an abstract base (HardenedWorkload…) is constructed through the construct extending it, with that construct's props
      .filter(name => !Object.values(lib).some(other => typeof other === 'function' && other.prototype instanceof (lib as Record<string, any>)[name]));
    expect(constructs.map(c => `${c}Props`).filter(p => !propsTypes.includes(p))).toEqual([]);
    expect(propsTypes.length).toBeGreaterThanOrEqual(6);
  });

  for (const propsType of propsTypes) {
    test(`${propsType}: every wrong-typed value at every prop path fails with the library error naming that path`, () => {
      const Ctor = constructFor(propsType);
      const rootSchema: JsonSchema = { $ref: `#/definitions/${propsType}` };
      const cases = propCases(rootSchema);
      expect(cases.length).toBeGreaterThan(0);
      let checked = 0;
      for (const { segments, schema } of cases) {
        for (const value of CANDIDATES.filter(v => !hasAllowedType(schema, v))) {
          const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
          const { props, prop } = setAt(minimal(rootSchema, chart) as Record<string, unknown>, rootSchema, segments, value, chart);
          const error = libraryErrorOf(() => new Ctor(chart, 'x', props));
          // the prop itself, or a prop inside the wrong value (a union's discriminator: `metrics[0].type`)
          expect({ prop: error.prop.startsWith(`${prop}.`) ? prop : error.prop, path: error.path }).toEqual({ prop, path: 'test/x' });
          expect(error.message).toMatch(/: (must be|is required|is not a known option)/);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(cases.length);
    });

    test(`${propsType}: an unknown option at any level fails with the library error naming it`, () => {
      const Ctor = constructFor(propsType);
      const rootSchema: JsonSchema = { $ref: `#/definitions/${propsType}` };
      const closed = propCases(rootSchema).filter(c => alternatives(c.schema).some(a => isObjectSchema(a) && a.additionalProperties === false));
      const objectPaths = [[], ...closed.map(c => c.segments)];
      for (const segments of objectPaths) {
        const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
        const { props, prop } = setAt(minimal(rootSchema, chart) as Record<string, unknown>, rootSchema, [...segments, { kind: 'key', key: 'unknownOption' }], 1, chart);
        const error = libraryErrorOf(() => new Ctor(chart, 'x', props));
        expect(error.prop).toBe(prop);
        expect(error.message).toMatch(/is not a known option/);
      }
    });
  }

  test('any value at any prop path gives either an accepted construct or the library error, never another error', () => {
    const all = propsTypes.flatMap(propsType => propCases({ $ref: `#/definitions/${propsType}` }).map(c => ({ propsType, segments: c.segments })));
    fc.assert(fc.property(fc.constantFrom(...all), fc.oneof(arb.junk, fc.anything()), ({ propsType, segments }, value) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
      const rootSchema: JsonSchema = { $ref: `#/definitions/${propsType}` };
      const { props } = setAt(minimal(rootSchema, chart) as Record<string, unknown>, rootSchema, segments, value, chart);
      try {
        new (constructFor(propsType))(chart, 'x', props);
      } catch (error) {
        if (!(error instanceof PropValidationError)) throw error;
      }
    }), { numRuns: arb.RUNS * 5 });
  });

  test('method arguments: wrong-typed allow(), allowEgress() and reachabilityReport() arguments fail with the library error', () => {
    const chart = new Chart(new App(), 'test', { namespace: 'shop' });
    const web = new lib.WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.0.0' });
    const bundle = new lib.NetworkPolicyBundle(chart, 'net');
    for (const [args, prop] of [[[5, web], 'allow.from'], [[web, 'api'], 'allow.to'], [[web, web, '8080'], 'allow.port'], [[undefined, web], 'allow.from']] as const) {
      expect(libraryErrorOf(() => bundle.allow(...(args as unknown as [any, any, any]))).prop).toBe(prop);
    }
    for (const [args, prop] of [[['worker', { ports: [5432] }], 'allowEgress.from'], [[web, { cidr: '10.0.0.0/8', ports: ['5432'] }], 'allowEgress.to.ports[0]'],
      [[web, { cidr: '10.0.0.0/8' }], 'allowEgress.to.ports'], [[web], 'allowEgress.to']] as const) {
      expect(libraryErrorOf(() => bundle.allowEgress(...(args as unknown as [any, any]))).prop).toBe(prop);
    }
    for (const [args, prop] of [[[5], 'reachabilityReport.source'], [['x'], 'reachabilityReport.source'], [[[5]], 'reachabilityReport.source[0]'], [[[], 5], 'reachabilityReport.title']] as const) {
      expect(libraryErrorOf(() => lib.reachabilityReport(...(args as unknown as [any, any]))).prop).toBe(prop);
    }
  });
});
