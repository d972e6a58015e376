import { PEER_KINDS, PLUS_KINDS, SCALABLE_KINDS } from './instance-kinds';

/** The parts of a JSON Schema the generated props schema uses. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly instanceOf?: string;
  readonly definitions?: Readonly<Record<string, JsonSchema>>;
}

/** What a value of a construct or class type may be, in words. */
const INSTANCE_NAMES: Record<string, string> = {
  INetworkPeer: PEER_KINDS,
  IScalableWorkload: SCALABLE_KINDS,
  IPlusWorkload: PLUS_KINDS,
  Duration: 'a cdk8s Duration',
  App: 'a cdk8s App',
  Chart: 'a cdk8s Chart',
};

/** Follows a local `$ref` (`#/definitions/Name`) in `document`. */
export function resolveRef(document: JsonSchema, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let i = 0; i < 20 && current.$ref !== undefined; i++) {
    const name = current.$ref.replace(/^(?:props)?#\/definitions\//, '');
    current = document.definitions?.[decodeURIComponent(name)] ?? {};
  }
  return current;
}

function joinAlternatives(parts: readonly string[]): string {
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', null: 'null', array: 'a list', object: 'an object',
};

/**
 * Describes what a schema allows, in the words of the library's other errors: `a string`,
 * `true or false`, `one of "all", "ingress"`, `an object { host, path?, tls? }`,
 * `a list (each a number)`, `a cdk8s Duration`.
 */
export function describeSchema(document: JsonSchema, input: JsonSchema, level = 0): string {
  const schema = resolveRef(document, input);
  if (level > 3) return 'a value of the documented type';
  if (schema.instanceOf !== undefined) return INSTANCE_NAMES[schema.instanceOf] ?? `${/^[AEIOUH]/.test(schema.instanceOf) ? 'an' : 'a'} ${schema.instanceOf}`;
  if (schema.const !== undefined) return literal(schema.const);
  if (schema.enum !== undefined) {
    const values = schema.enum.map(literal);
    return values.length <= 2 ? joinAlternatives(values) : `one of ${values.join(', ')}`;
  }
  if (schema.anyOf !== undefined) {
    const parts = schema.anyOf.map(s => describeSchema(document, s, level + 1)).flatMap(p => (p === 'true or false' ? ['true', 'false'] : [p]));
    return joinAlternatives(parts);
  }
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  if (types.length === 1 && types[0] === 'object') {
    if (schema.properties !== undefined && Object.keys(schema.properties).length > 0) {
      const required = schema.required ?? [];
      return `an object { ${Object.keys(schema.properties).map(k => (required.includes(k) ? k : `${k}?`)).join(', ')} }`;
    }
    if (typeof schema.additionalProperties === 'object') {
      return `an object mapping each name to ${describeSchema(document, schema.additionalProperties, level + 1)}`;
    }
    return 'an object';
  }
  if (types.length === 1 && types[0] === 'array') {
    return schema.items === undefined ? 'a list' : `a list (each ${describeSchema(document, schema.items, level + 1)})`;
  }
  if (types.length > 0) return joinAlternatives(types.map(t => TYPE_NAMES[t] ?? t));
  return 'any value';
}
