import type { ErrorObject, ValidateFunction } from 'ajv';
import { IConstruct } from 'constructs';
import { describeSchema, JsonSchema, resolveRef } from './describe-schema';
import * as GENERATED from './generated';
import { PropValidationError } from '../core/errors';
import { hasOwn } from '../core/own';
import { UNSUPPORTED_OPTIONS } from '../workload/unsupported-options';

/*
 * Runtime type check of every construct's props and every public method's arguments, against
 * the JSON Schema generated from the exported TypeScript types (props-schema.json, regenerated
 * by `npx projen generate-schemas`; a test fails when it drifts). Plain JavaScript and YAML-driven
 * callers get the library's error — construct path, prop path, value, what is allowed — instead
 * of a TypeError from deep inside or a wrong-typed value silently read as "not set".
 *
 * Construct instances, cdk8s classes (Duration, App, Chart) and interfaces extending IConstruct
 * have no JSON Schema: the generator writes `{ instanceOf: "<Name>" }`, checked only for being
 * an object of the right general shape; the constructs then check such values by hand
 * (e.g. `isNetworkPeer`, `isScalableWorkload`), as before.
 *
 * The validators are compiled at generate time (ajv standalone code in generated/, one module
 * per props type and per method, from the same `generate-schemas` task): run time neither loads
 * ajv nor compiles anything, and loads only the validators of the constructs and methods used,
 * the first time each is used. The schema document itself is read only to explain an error.
 */

type SchemaDocument = JsonSchema & { props: Record<string, JsonSchema>; methods: Record<string, Array<{ schema: JsonSchema }>> };

let document: SchemaDocument | undefined;
/** The schema document, loaded on the first error it has to explain. */
function schemaDocument(): SchemaDocument {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  document ??= (require('./schema-document') as { SCHEMA_DOCUMENT: SchemaDocument }).SCHEMA_DOCUMENT;
  return document;
}

/** The names of every props type with a generated schema. */
export type PropsTypeName = keyof typeof GENERATED.PROPS;

/** A generated validator: ajv's standalone code, with its errors (verbose) after a failure. */
type Validator = ValidateFunction;
interface MethodParam { readonly name: string; readonly required: boolean; readonly validate: Validator }

const LOADERS = GENERATED as unknown as {
  PROPS: Record<string, () => Validator>;
  METHODS: Record<string, () => readonly MethodParam[]>;
  BRANCHES: () => Record<string, Validator>;
};
const propsValidators = new Map<string, Validator>();
const methodParams = new Map<string, readonly MethodParam[]>();

/**
 * Checks `props` against the generated schema of `type` (once, at the start of a construct's
 * constructor); throws the library's {@link PropValidationError} naming the prop path, the value
 * and what is allowed. Every construct calls it as its first statement:
 * `validateProps(this, 'WebAppProps', props);`
 */
export function validateProps(scope: IConstruct, type: PropsTypeName, props: unknown): void {
  let validate = propsValidators.get(type);
  if (!validate) {
    if (!hasOwn(LOADERS.PROPS, type)) throw new Error(`no generated schema for ${type}: run npx projen generate-schemas`);
    validate = LOADERS.PROPS[type]();
    propsValidators.set(type, validate);
  }
  const unsupported = Object.entries(UNSUPPORTED_OPTIONS[type] ?? {}).find(([key]) => typeof props === 'object' && props !== null && hasOwn(props, key));
  if (unsupported) throw new PropValidationError(scope.node.path, unsupported[0], (props as Record<string, unknown>)[unsupported[0]], unsupported[1]);
  if (!validate(props)) throw schemaError(scope.node.path, '', props, validate.errors ?? [], resolveRef(schemaDocument(), { $ref: `#/definitions/${type}` }));
}

/**
 * Checks the arguments of a public method or function (`'NetworkPolicyBundle.prototype.allow'`,
 * `'reachabilityReport'`) against the schema generated from its parameters; `where` is the
 * construct the method belongs to, or the function's name.
 */
export function validateArgs(where: IConstruct | string, method: string, args: readonly unknown[]): void {
  let params = methodParams.get(method);
  if (!params) {
    if (!hasOwn(LOADERS.METHODS, method)) throw new Error(`no generated schema for ${method}: run npx projen generate-schemas`);
    params = LOADERS.METHODS[method]();
    methodParams.set(method, params);
  }
  const path = typeof where === 'string' ? where : where.node.path;
  const label = method.replace(/^.*\./, '');
  params.forEach((param, index) => {
    const value = args[index];
    const prop = `${label}.${param.name}`;
    if (value === undefined) {
      if (param.required) throw new PropValidationError(path, prop, value, `is required: ${describeSchema(schemaDocument(), schemaDocument().methods[method][index].schema)}`);
      return;
    }
    if (!param.validate(value)) throw schemaError(path, prop, value, param.validate.errors ?? [], schemaDocument().methods[method][index].schema);
  });
}

/** How deep in the value an error is; errors about a child key count one level deeper. */
function depth(error: ErrorObject): number {
  const segments = error.instancePath === '' ? 0 : error.instancePath.split('/').length - 1;
  return segments + (error.keyword === 'additionalProperties' || error.keyword === 'required' ? 1 : 0);
}

/** A branch of a union whose discriminator (`type: 'pods'`) does not match: the least telling error. */
const isMismatch = (error: ErrorObject) => error.keyword === 'const' || error.keyword === 'enum';

/**
 * The most precise error: the deepest; at equal depth one inside the union branch the value
 * chose (not a discriminator mismatch of another branch), else the last (a failed `anyOf` sums
 * up its branches).
 */
function pickError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const error of errors) {
    if (!best || depth(error) > depth(best) || (depth(error) === depth(best) && (isMismatch(best) || !isMismatch(error)))) best = error;
  }
  return best;
}

/** Every value the failed `const`/`enum` checks at the error's path would have accepted. */
function acceptedLiterals(errors: readonly ErrorObject[], chosen: ErrorObject): JsonSchema {
  const values = errors.filter(e => isMismatch(e) && e.instancePath === chosen.instancePath)
    .flatMap(e => (e.keyword === 'const' ? [(e.params as { allowedValue: unknown }).allowedValue] : (e.params as { allowedValues: unknown[] }).allowedValues));
  return { enum: values.filter((v, i) => values.indexOf(v) === i) };
}

function segmentsOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function propPath(prefix: string, segments: readonly string[]): string {
  let out = prefix;
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (!/^[A-Za-z_$][\w$-]*$/.test(s)) out += `[${JSON.stringify(s)}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out === '' ? 'props' : out;
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const s of segments) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[s] : undefined;
  return value;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      }
    }
    return d[a.length][b.length];
  };
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const dist = distance(word, c);
    if (dist < bestDistance) [best, bestDistance] = [c, dist];
  }
  return best;
}

/**
 * The unknown key of `value` that looks like a misspelling of the required `key` (`imagee` for
 * `image`): ajv stops at the missing key before reporting the unknown one.
 */
function misspelling(key: string, value: unknown, schema: JsonSchema): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const unknown = Object.keys(value).filter(k => schema.properties?.[k] === undefined);
  return unknown.find(k => closest(k, [key]) === key);
}

/**
 * The generated validator of one branch of a union (the generator compiles one for every object
 * branch, keyed by its JSON with references relative to the document).
 */
function branchValidator(branch: JsonSchema): Validator {
  const validate = LOADERS.BRANCHES()[JSON.stringify(branch).replace(/"props#\/definitions\//g, '"#/definitions/')];
  if (!validate) throw new Error('no generated validator for a union branch: run npx projen generate-schemas');
  return validate;
}

/**
 * A failed union of objects is reported against the branch the value chose, so the error is
 * about that branch and not about the others' missing fields: the branch its discriminator names
 * (`type: 'pods' | 'object' | …`; an unknown discriminator is itself the error), else the one
 * object branch, or the one declaring the most of the value's keys. When two branches fit
 * equally (`{ sleepSeconds, command }` for `{ sleepSeconds } | { command }`), the union is.
 */
function unionError(path: string, prefix: string, root: unknown, errors: readonly ErrorObject[]): PropValidationError | undefined {
  const unions = errors.filter(e => e.keyword === 'anyOf').sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const error of unions) {
    const segments = segmentsOf(error.instancePath);
    const value = valueAt(root, segments);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const branches = ((error.parentSchema as JsonSchema).anyOf ?? []).map(b => resolveRef(schemaDocument(), b))
      .filter(b => b.type === 'object' && b.instanceOf === undefined);
    if (branches.length === 0) continue;
    const here = propPath(prefix, segments).replace(/^props$/, '');
    const key = Object.keys(branches[0].properties ?? {})
      .find(k => branches.length > 1 && branches.every(b => b.properties?.[k]?.const !== undefined));
    let chosen: JsonSchema | undefined;
    if (key !== undefined) {
      const discriminator = (value as Record<string, unknown>)[key];
      chosen = branches.find(b => b.properties![key].const === discriminator);
      if (!chosen) {
        return new PropValidationError(path, propPath(prefix, [...segments, key]), discriminator,
          `must be ${describeSchema(schemaDocument(), { enum: branches.map(b => b.properties![key].const) })}`);
      }
    } else {
      const keys = Object.keys(value);
      const scores = branches.map(b => keys.filter(k => b.properties?.[k] !== undefined).length);
      const best = Math.max(...scores);
      const winners = branches.filter((_, i) => scores[i] === best);
      if (winners.length > 1) {
        return new PropValidationError(path, here || 'props', value, `must be ${describeSchema(schemaDocument(), { anyOf: branches })}`);
      }
      chosen = winners[0];
    }
    const validate = branchValidator(chosen);
    if (!validate(value)) return schemaError(path, here, value, validate.errors ?? [], chosen);
  }
  return undefined;
}

function schemaError(path: string, prefix: string, root: unknown, errors: readonly ErrorObject[], rootSchema: JsonSchema): PropValidationError {
  const union = unionError(path, prefix, root, errors);
  if (union) return union;
  const error = pickError(errors);
  const segments = segmentsOf(error?.instancePath ?? '');
  if (!error) return new PropValidationError(path, propPath(prefix, segments), root, `must be ${describeSchema(schemaDocument(), rootSchema)}`);
  const schema = resolveRef(schemaDocument(), error.parentSchema as JsonSchema);
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(schema.properties ?? {});
    const guess = closest(key, known);
    const topLevel = segments.length > 0 && prefix === '' && resolveRef(schemaDocument(), rootSchema).properties?.[key] !== undefined;
    return new PropValidationError(path, propPath(prefix, [...segments, key]), valueAt(root, [...segments, key]),
      `is not a known option${guess ? ` (did you mean "${guess}"?)` : ''}; allowed: ${known.join(', ')}${topLevel ? `; ${key} is an option of the top level` : ''}`);
  }
  if (error.keyword === 'required') {
    const key = String((error.params as { missingProperty: string }).missingProperty);
    const propSchema = schema.properties?.[key] ?? {};
    const typo = misspelling(key, valueAt(root, segments), schema);
    return new PropValidationError(path, propPath(prefix, [...segments, key]), undefined,
      `is required: ${describeSchema(schemaDocument(), propSchema)}${typo === undefined ? '' : ` (did you mean "${key}" instead of "${typo}"?)`}`);
  }
  const allowed = isMismatch(error) ? acceptedLiterals(errors, error) : schema;
  return new PropValidationError(path, propPath(prefix, segments), valueAt(root, segments), `must be ${describeSchema(schemaDocument(), allowed)}`);
}
