import * as path from 'path';
import { CrdSchemas } from './crd-validation';
import { modelProblems } from './k8s-schema';
import { Manifest, Problem, problem } from './types';

/** API groups whose objects are validated against Istio's CRD schemas. */
export const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io'];

const istioCrds = new CrdSchemas(() => [path.join(__dirname, '..', 'schemas', 'istio-crds.yaml')], 'test/schemas/istio-crds.yaml');

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
  if (!/^[A-Z][A-Za-z]*$/.test(obj.kind) || !istioCrds.has(obj.apiVersion, obj.kind)) {
    return [problem(obj, '', `unknown Istio kind ${obj.apiVersion} ${obj.kind} (not in test/schemas/istio-crds.yaml)`)];
  }
  const out = istioCrds.validate(obj);
  const Model = istioModel(obj.apiVersion, obj.kind);
  if (Model) out.push(...modelProblems(obj, Model));
  return out;
}
