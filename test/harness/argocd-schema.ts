import * as path from 'path';
import { interfaceShape } from './dts-shape';
import { modelProblems } from './k8s-schema';
import { Shape, unknownFields } from './shape';
import { Manifest, Problem, problem } from './types';

/** API group of ArgoCD objects. */
export const ARGOCD_GROUP = 'argoproj.io';

const KINDS = ['Application', 'AppProject'];
const shapes = new Map<string, Shape>();

function shapeOf(kind: string): Shape {
  let shape = shapes.get(kind);
  if (!shape) {
    const dir = path.dirname(require.resolve('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application'));
    shape = interfaceShape(path.join(dir, `${kind}.d.ts`), `I${kind}`);
    shapes.set(kind, shape);
  }
  return shape;
}

/**
 * Validates an ArgoCD `argoproj.io/v1alpha1` Application or AppProject with the
 * @kubernetes-models/argo-cd validator, plus unknown-field rejection along the package's
 * generated TypeScript interface (its `_schemas/` are compiled validators, not JSON schemas).
 */
export function validateArgoCdObject(obj: Manifest): Problem[] {
  if (obj.apiVersion !== `${ARGOCD_GROUP}/v1alpha1` || !KINDS.includes(obj.kind)) {
    return [problem(obj, '', `unsupported ArgoCD kind ${obj.apiVersion} ${obj.kind} (supported: v1alpha1 ${KINDS.join(', ')})`)];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Model = require(`@kubernetes-models/argo-cd/argoproj.io/v1alpha1/${obj.kind}`)[obj.kind];
  const out = modelProblems(obj, Model);
  for (const u of unknownFields(obj, shapeOf(obj.kind), '')) out.push(problem(obj, u.path, u.message));
  return out;
}
