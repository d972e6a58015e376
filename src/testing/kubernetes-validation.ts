import { bundledCrdFiles } from './bundled-crds';
import { CrdSchemas } from './crd-validation';
import { validateKubernetesObject } from './k8s-schema';
import { metadataProblems } from './metadata';
import { Manifest, Problem, problem } from './problems';

/** Options of {@link kubernetesProblems} and `toBeValidKubernetes()`. */
export interface KubernetesValidationOptions {
  /**
   * CustomResourceDefinition YAML files (paths): objects of their served kinds are validated
   * against their OpenAPI schemas, with unknown fields rejected (CEL rules are not evaluated).
   * They take precedence over the CRD schemas the kit ships for the kinds they define.
   * @default - the CRD schemas the kit ships (Gateway API, Istio, prometheus-operator, Argo
   * Rollouts, Argo CD, Kyverno, External Secrets: every kind this library writes; see the
   * package's `crds/README.md`)
   */
  readonly crds?: readonly string[];
  /**
   * What an object of a kind neither built into Kubernetes (1.28) nor defined in the shipped or
   * given CRDs gets: `'fail'` reports it, `'ignore'` skips its schema (its metadata is still checked).
   * @default 'fail'
   */
  readonly unknownKinds?: 'fail' | 'ignore';
}

const crdSets = new Map<string, CrdSchemas>();

/** The shipped CRD schemas, then the given files (which win for the kinds they define). */
function crdSchemas(given: readonly string[]): CrdSchemas {
  const key = JSON.stringify(given);
  let set = crdSets.get(key);
  if (!set) {
    set = new CrdSchemas(() => [...bundledCrdFiles(), ...given], given.length > 0 ? `the shipped CRDs nor ${given.join(', ')}` : 'the shipped CRDs');
    crdSets.set(key, set);
  }
  return set;
}

/**
 * What the Kubernetes API server would reject in each object: the Kubernetes 1.28 schema of
 * built-in kinds (`kubernetes-models` validators: types, required fields, enums, formats) with
 * unknown fields rejected (along the `@kubernetes/client-node` models), CRD schemas for custom
 * kinds, and object metadata (names, label and annotation keys and values). The same checks the
 * library's own tests run on every object. Needs the optional peers `kubernetes-models` and
 * `@kubernetes/client-node`.
 */
export function kubernetesProblems(objects: readonly Manifest[], options: KubernetesValidationOptions = {}): Problem[] {
  const crds = crdSchemas(options.crds ?? []);
  const out: Problem[] = [];
  for (const obj of objects) {
    if (typeof obj?.apiVersion !== 'string' || typeof obj?.kind !== 'string') {
      out.push(problem(obj, '', 'apiVersion and kind are required strings'));
      continue;
    }
    if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') {
      out.push(problem(obj, 'metadata.name', 'metadata.name is required'));
      continue;
    }
    if (crds.has(obj.apiVersion, obj.kind)) {
      out.push(...crds.validate(obj));
    } else {
      const builtIn = validateKubernetesObject(obj);
      if (builtIn) {
        out.push(...builtIn);
      } else if (options.unknownKinds !== 'ignore') {
        out.push(problem(obj, 'apiVersion', `unknown kind ${obj.apiVersion} ${obj.kind}: not built into Kubernetes 1.28 nor defined in ${crds.source} (pass its CustomResourceDefinition in \`crds\`, or \`unknownKinds: 'ignore'\`)`));
      }
    }
    out.push(...metadataProblems(obj));
  }
  return out;
}
