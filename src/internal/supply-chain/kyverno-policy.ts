import { ApiObjectProps } from 'cdk8s';
import { GITHUB_ACTIONS_ISSUER } from './keyless-identity';

/** What a verify-images policy is built from, already validated. */
export interface VerifyImagesPolicyInput {
  readonly name: string;
  /** One namespace: a namespaced `Policy` there; several: a `ClusterPolicy` matching them. */
  readonly namespaces: readonly string[];
  readonly images: readonly string[];
  readonly skipImages: readonly string[];
  readonly subjects: readonly string[];
  readonly labels: Record<string, string>;
}

/**
 * A Kyverno `kyverno.io/v1` policy admitting pods whose images matching `images` carry a keyless
 * signature, in the Sigstore bundle format (`type: SigstoreBundle`, the format cosign 3 writes by
 * default, stored as an OCI referrer), from GitHub Actions (`issuer`) and one of `subjects`
 * (`count: 1`: any one entry). Digests are required and written in (`verifyDigest`,
 * `mutateDigest`, on Pods only: see `autogen-controllers`), unverified images refused (`required`, `failureAction: Enforce`), and a
 * webhook failure refuses too (`failurePolicy: Fail`).
 * @see https://kyverno.io/docs/policy-types/cluster-policy/verify-images/sigstore/
 */
export function verifyImagesPolicy(input: VerifyImagesPolicyInput): ApiObjectProps {
  const cluster = input.namespaces.length > 1;
  return {
    apiVersion: 'kyverno.io/v1',
    kind: cluster ? 'ClusterPolicy' : 'Policy',
    metadata: {
      name: input.name,
      namespace: cluster ? undefined : input.namespaces[0],
      labels: input.labels,
      // Pods only: rules auto-generated for Deployments & co. would write digests into them, which
      // ArgoCD then reverts on every sync; their pods are verified (and refused) all the same
      annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' },
    },
    spec: {
      // admission only: a background scan of running pods cannot mutate them
      background: false,
      webhookConfiguration: { failurePolicy: 'Fail', timeoutSeconds: 30 },
      rules: [{
        name: 'verify-signatures',
        match: { any: [{ resources: { kinds: ['Pod'], namespaces: cluster ? [...input.namespaces] : undefined } }] },
        verifyImages: [{
          imageReferences: [...input.images],
          skipImageReferences: input.skipImages.length > 0 ? [...input.skipImages] : undefined,
          type: 'SigstoreBundle',
          failureAction: 'Enforce',
          mutateDigest: true,
          verifyDigest: true,
          required: true,
          attestors: [{
            count: 1,
            entries: input.subjects.map(subject => ({ keyless: { issuer: GITHUB_ACTIONS_ISSUER, subject } })),
          }],
        }],
      }],
    },
  };
}
