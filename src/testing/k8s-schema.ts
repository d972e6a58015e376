import { topLevelShape } from './client-node-shape';
import { resolveOptionalPeer, SCHEMA_PEERS_INSTALL } from './optional-peer';
import { Manifest, Problem, pointerToPath, problem } from './problems';
import { unknownFields } from './shape';

/** Runs a kubernetes-models style validator and converts its ajv errors into problems. */
export function modelProblems(obj: Manifest, Model: any): Problem[] {
  try {
    new Model(obj).validate();
    return [];
  } catch (e: any) {
    const errors: any[] = Array.isArray(e?.errors) ? e.errors : [];
    if (errors.length === 0) return [problem(obj, '', String(e?.message ?? e))];
    return errors.map((err) => problem(obj, pointerToPath('', err.instancePath ?? ''), `${err.message ?? err.keyword}${err.params ? ` ${JSON.stringify(err.params)}` : ''}`));
  }
}

let modelsInstalled = false;

function loadModel(apiVersion: string, kind: string): any {
  if (!modelsInstalled) {
    resolveOptionalPeer('kubernetes-models', 'toBeValidKubernetes()', SCHEMA_PEERS_INSTALL);
    modelsInstalled = true;
  }
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

/**
 * Validates a built-in Kubernetes object: the kubernetes-models schema (types, required fields,
 * enums, formats) plus unknown-field rejection along the @kubernetes/client-node model.
 * Returns undefined when the apiVersion/kind is not a built-in Kubernetes type.
 */
export function validateKubernetesObject(obj: Manifest): Problem[] | undefined {
  const Model = loadModel(obj.apiVersion, obj.kind);
  if (!Model) return undefined;
  const out = modelProblems(obj, Model);
  const shape = topLevelShape(obj.apiVersion, obj.kind);
  if (!shape) {
    out.push(problem(obj, '', `no strict model for ${obj.apiVersion} ${obj.kind} in @kubernetes/client-node: unknown fields cannot be checked`));
    return out;
  }
  for (const u of unknownFields(obj, shape, '')) out.push(problem(obj, u.path, u.message));
  return out;
}
