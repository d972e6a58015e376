import Ajv, { ValidateFunction } from 'ajv';

/**
 * Makes a CRD OpenAPI schema strict: every object schema that lists `properties` and does not
 * preserve unknown fields gets `additionalProperties: false`, so typos fail as the API server's
 * structural pruning would silently drop them. Returns a deep copy.
 */
export function strictSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    // `properties`/`patternProperties` hold a map of schemas, not a schema.
    out[k] = k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions'
      ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strictSchema(s)]))
      : strictSchema(v);
  }
  if (out.properties && !out['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

let ajv: Ajv | undefined;

/**
 * CRD patterns are Go (RE2) regular expressions: prometheus-operator's use the inline flag
 * `(?i)`, which JavaScript does not accept; it becomes the `i` flag of the whole pattern.
 */
const goRegExp = Object.assign((pattern: string, flags: string): RegExp => {
  const caseInsensitive = pattern.includes('(?i)');
  return new RegExp(pattern.split('(?i)').join(''), caseInsensitive ? `${flags}i` : flags);
}, { code: 'new RegExp' });

/** Compiles an OpenAPI v3 (structural CRD) schema with one shared, lenient-keyword ajv instance. */
export function compileCrdSchema(schema: any): ValidateFunction {
  ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  return ajv.compile(schema);
}

/** Wraps a CRD's `openAPIV3Schema` so the root also allows apiVersion, kind and metadata, then makes it strict. */
export function strictRootSchema(openAPIV3Schema: any): any {
  const root = { ...openAPIV3Schema, properties: { ...openAPIV3Schema.properties } };
  root.properties.apiVersion = { type: 'string' };
  root.properties.kind = { type: 'string' };
  // metadata is checked separately against the ObjectMeta model.
  root.properties.metadata = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
  root.required = [...new Set([...(root.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  return strictSchema(root);
}
