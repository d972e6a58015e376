import { KubernetesValidationOptions, kubernetesProblems } from '../kubernetes-validation';
import { manifestsOf } from '../manifests';
import { problemLine } from '../problems';
import { hint, listLines, MatcherContext, MatcherResult, orMatcherError } from './context';

/**
 * Passes when every object is what the Kubernetes API server accepts: schema-valid with no
 * unknown fields, valid names, labels and annotations (see `kubernetesProblems`).
 */
export function toBeValidKubernetes(this: MatcherContext, received: unknown, options: KubernetesValidationOptions = {}): MatcherResult {
  const line = hint(this, 'toBeValidKubernetes', options.crds || options.unknownKinds ? 'options' : '');
  const objects = orMatcherError(this, line, () => manifestsOf(received));
  const problems = orMatcherError(this, line, () => kubernetesProblems(objects, options));
  const pass = problems.length === 0;
  return {
    pass,
    message: () => pass
      ? `${line}\n\nExpected: some object to be rejected by the Kubernetes schemas\nReceived: ${objects.length} valid object${objects.length === 1 ? '' : 's'}`
      : `${line}\n\nExpected: every object to be valid Kubernetes (schema, no unknown fields, metadata)\n`
        + `Received: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${listLines(problems.map(problemLine))}`,
  };
}
