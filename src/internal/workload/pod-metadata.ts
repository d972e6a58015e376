import { IConstruct } from 'constructs';
import { resolveLabelMap } from './scheduling';
import { propError } from '../core/errors';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF, LABEL_VERSION } from '../core/labels';
import { checkOptionalObject, checkQualifiedKey } from '../core/validate';
import { CHECKSUM_EXTERNAL_SECRETS } from '../supply-chain/external-secrets';

/** The pod annotations the library writes itself (content checksums that roll the pods). */
export const CHECKSUM_CONFIG = 'checksum/config';
export const CHECKSUM_FILES = 'checksum/files';
/**
 * The pod label Istio reads as the revision of a workload's telemetry (`destination_canonical_revision`);
 * a ProgressiveRelease sets it to the revision of its pod template.
 * @see https://istio.io/latest/docs/reference/config/labels/
 */
export const LABEL_CANONICAL_REVISION = 'service.istio.io/canonical-revision';

const RECOMMENDED = [LABEL_NAME, LABEL_INSTANCE, LABEL_VERSION, LABEL_COMPONENT, LABEL_PART_OF, LABEL_MANAGED_BY];
const LIBRARY_PREFIX = 'cloudnative-constructs.io/';

/** Who owns a pod label or annotation, why a workload may not set it, and what to do instead. */
interface Owner {
  readonly owner: string;
  readonly because: string;
  readonly fix: string;
}

const MESH_INJECTION: Owner = {
  owner: 'SecureNamespace\'s Istio injection (the namespace\'s istio-injection label)',
  because: 'a pod that sets it can leave the mesh and every AuthorizationPolicy of a deny-by-default namespace',
  fix: 'choose injection per namespace with SecureNamespace istio: { injection }',
};
const MESH_CAPTURE: Owner = {
  owner: 'SecureNamespace\'s Istio injection (the sidecar captures every inbound port)',
  because: 'a port left out of the capture bypasses mTLS and every AuthorizationPolicy',
  fix: 'open the port with allow() or metrics instead',
};
const TELEMETRY: Owner = {
  owner: 'the library (Istio\'s telemetry identity of the pods)',
  because: 'objectives and a ProgressiveRelease\'s analysis select the pods\' metrics by it; another value makes them measure nothing or the wrong pods',
  fix: 'set name or the image tag instead, or use another key',
};
const controller = (name: string): Owner => ({
  owner: name,
  because: 'the controller writes it on the pods it creates and tells its revisions apart by it',
  fix: 'use another key',
});

/** Pod labels and annotations the platform writes or enforces, by key. */
const OWNED_LABELS: Record<string, Owner> = {
  'sidecar.istio.io/inject': MESH_INJECTION,
  'istio.io/rev': MESH_INJECTION,
  'service.istio.io/canonical-name': TELEMETRY,
  [LABEL_CANONICAL_REVISION]: TELEMETRY,
  'rollouts-pod-template-hash': controller('Argo Rollouts'),
  'pod-template-hash': controller('Kubernetes\' Deployment controller'),
  'controller-revision-hash': controller('Kubernetes\' StatefulSet controller'),
  'statefulset.kubernetes.io/pod-name': controller('Kubernetes\' StatefulSet controller'),
  'apps.kubernetes.io/pod-index': controller('Kubernetes\' StatefulSet controller'),
  'batch.kubernetes.io/job-name': controller('Kubernetes\' Job controller'),
  'batch.kubernetes.io/controller-uid': controller('Kubernetes\' Job controller'),
  'job-name': controller('Kubernetes\' Job controller'),
  'controller-uid': controller('Kubernetes\' Job controller'),
};
const OWNED_ANNOTATIONS: Record<string, Owner> = {
  'sidecar.istio.io/inject': MESH_INJECTION,
  'istio.io/rev': MESH_INJECTION,
  'traffic.sidecar.istio.io/excludeInboundPorts': MESH_CAPTURE,
  'traffic.sidecar.istio.io/includeInboundPorts': MESH_CAPTURE,
};

function ownedProblem(key: string, owner: Owner): string {
  return `${key} is owned by ${owner.owner}: ${owner.because}; ${owner.fix}`;
}

/** A pod template's labels and annotations. */
export interface PodMetadataJson {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/**
 * The owned pod labels and annotations a JSON patch on a pod-owning object set, changed or
 * removed (the props refuse them, a patch on the object bypasses the props), as messages naming
 * the object, the key, the value and the owner. The canonical revision is left out: a Rollout
 * writes it from its final template, after every patch (rollout.ts).
 */
export function patchedOwnedMetadataProblems(
  path: string, object: string, written: PodMetadataJson | undefined, final: PodMetadataJson | undefined,
): string[] {
  const check = (kind: 'label' | 'annotation', owned: Record<string, Owner>, before: Record<string, string> = {}, after: Record<string, string> = {}) =>
    Object.keys(owned).filter(key => key !== LABEL_CANONICAL_REVISION && before[key] !== after[key]).map(key =>
      `${path}: a JSON patch ${key in after ? `sets pod ${kind} ${key} ${JSON.stringify(after[key])}` : `removes pod ${kind} ${key}`} of ${object}: `
      + ownedProblem(key, owned[key]));
  return [...check('label', OWNED_LABELS, written?.labels, final?.labels), ...check('annotation', OWNED_ANNOTATIONS, written?.annotations, final?.annotations)];
}

/**
 * Validates `podLabels`: valid keys and values, and none of the labels the platform owns — the
 * recommended labels (which select the pods), the library's own `cloudnative-constructs.io/*`,
 * Istio's injection and telemetry labels, and the labels Argo Rollouts and Kubernetes'
 * controllers write on the pods they create.
 */
export function resolvePodLabels(scope: IConstruct, labels: Record<string, string> | undefined): Record<string, string> | undefined {
  const resolved = resolveLabelMap(scope, 'podLabels', labels);
  for (const key of Object.keys(resolved ?? {})) {
    if (RECOMMENDED.includes(key) || key.startsWith(LIBRARY_PREFIX)) {
      throw propError(scope, `podLabels.${key}`, resolved![key],
        `${key} is written by the library and selects the pods (changing it would orphan them or break the Service and policies); set name, partOf or the image tag instead, or use another key`);
    }
    if (Object.prototype.hasOwnProperty.call(OWNED_LABELS, key)) {
      throw propError(scope, `podLabels.${key}`, resolved![key], ownedProblem(key, OWNED_LABELS[key]));
    }
  }
  return resolved;
}

/**
 * Validates `podAnnotations`: valid keys, string values, none the platform owns (the library's
 * checksum annotations, Istio's injection and inbound capture).
 */
export function resolvePodAnnotations(scope: IConstruct, annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  checkOptionalObject(scope, 'podAnnotations', annotations, '{ "prometheus.io/scrape": "true" }');
  if (annotations === undefined) return undefined;
  for (const [key, value] of Object.entries(annotations)) {
    checkQualifiedKey(scope, `podAnnotations.${key}`, key);
    if (typeof value !== 'string') throw propError(scope, `podAnnotations.${key}`, value, 'annotation values must be strings (quote numbers and booleans)');
    if (key === CHECKSUM_CONFIG || key === CHECKSUM_FILES || key === CHECKSUM_EXTERNAL_SECRETS) {
      throw propError(scope, `podAnnotations.${key}`, value, `${key} is the library's content checksum that rolls the pods when config, files or ExternalSecrets change; use another key`);
    }
    if (Object.prototype.hasOwnProperty.call(OWNED_ANNOTATIONS, key)) {
      throw propError(scope, `podAnnotations.${key}`, value, ownedProblem(key, OWNED_ANNOTATIONS[key]));
    }
  }
  return { ...annotations };
}
