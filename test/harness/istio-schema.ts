import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { objectMetaShape } from './client-node-shape';
import { compileCrdSchema, strictRootSchema } from './crd-schema';
import { modelProblems } from './k8s-schema';
import { unknownFields } from './shape';
import { joinKey, Manifest, Problem, pointerToPath, problem } from './types';
import { readYamlDocuments } from './yaml-cache';

/** API groups whose objects are validated against Istio's CRD schemas. */
export const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io'];

const CRD_FILE = path.join(__dirname, '..', 'schemas', 'istio-crds.yaml');

let schemas: Map<string, any> | undefined;
const compiled = new Map<string, ValidateFunction>();

/** `group/version/Kind` → openAPIV3Schema, read once per process from test/schemas/istio-crds.yaml. */
function crdSchemas(): Map<string, any> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const crd of readYamlDocuments(CRD_FILE)) {
    for (const v of crd.spec.versions) {
      if (v.served) schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
    }
  }
  return schemas;
}

function validator(key: string): ValidateFunction | undefined {
  let fn = compiled.get(key);
  if (!fn) {
    const schema = crdSchemas().get(key);
    if (!schema) return undefined;
    fn = compileCrdSchema(strictRootSchema(schema));
    compiled.set(key, fn);
  }
  return fn;
}

function istioModel(apiVersion: string, kind: string): any {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@kubernetes-models/istio/${apiVersion}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

/**
 * Validates an Istio object against its strict CRD schema (unknown fields fail), the ObjectMeta
 * model, and the @kubernetes-models/istio validator when that package has the kind/version.
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
export function validateIstioObject(obj: Manifest): Problem[] {
  const [group, version] = obj.apiVersion.split('/');
  const fn = /^[A-Z][A-Za-z]*$/.test(obj.kind) ? validator(`${group}/${version}/${obj.kind}`) : undefined;
  if (!fn) return [problem(obj, '', `unknown Istio kind ${obj.apiVersion} ${obj.kind} (not in test/schemas/istio-crds.yaml)`)];
  const out: Problem[] = [];
  const data: unknown = obj;
  if (!fn(data)) {
    for (const err of fn.errors ?? []) {
      const at = pointerToPath('', err.instancePath);
      if (err.keyword === 'additionalProperties') {
        const field = (err.params as any).additionalProperty;
        out.push(problem(obj, joinKey(at, field), `unknown field "${field}" (not in the ${obj.kind} CRD schema)`));
      } else {
        out.push(problem(obj, at, `${err.message} ${JSON.stringify(err.params)}`));
      }
    }
  }
  for (const u of unknownFields(obj.metadata, objectMetaShape(), 'metadata')) out.push(problem(obj, u.path, u.message));
  const Model = istioModel(obj.apiVersion, obj.kind);
  if (Model) out.push(...modelProblems(obj, Model));
  return out;
}
