import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName } from './internal/core/name-registry';
import { checkDnsLabel, checkDnsSubdomain } from './internal/core/validate';
import { imageCoverageProblems, registerVerification } from './internal/supply-chain/image-coverage';
import { workflowSubjects } from './internal/supply-chain/keyless-identity';
import { verifyImagesPolicy } from './internal/supply-chain/kyverno-policy';
import { validateProps } from './internal/validation/validate-props';
import { Pipeline } from './pipeline';

/**
 * Which images must be signed, and by which GitHub Actions workflow (keyless, with cosign).
 */
export interface ImageVerificationOptions {
  /**
   * Kyverno image reference globs of the images to verify (`*` any characters, `?` one), matched
   * against `registry/repository@digest`, e.g. `'ghcr.io/acme/*'` or `'ghcr.io/acme/web@*'`.
   * Each must match an image the namespace's workloads run, and every image they run must be
   * matched by a glob.
   * @see https://kyverno.io/docs/policy-types/cluster-policy/verify-images/
   */
  readonly images: string[];
  /**
   * Globs of images the namespace runs without verification (Kyverno `skipImageReferences`):
   * third-party images no workflow of yours signs, or images another ImageVerification covers.
   * Each must match an image the workloads run; a skipped image counts as covered.
   * @default - none skipped
   */
  readonly skipImages?: string[];
  /**
   * The Pipeline (or Pipelines) that builds and signs the images: admits signatures of its
   * workflow file, in the GitHub repository of its `argocd.repoURL` (where it commits the
   * output), on each of its `branches`. Two Pipelines admit either identity.
   * @default - the identity given by `repository`, `workflowPath` and `branch`
   */
  readonly pipeline?: Pipeline | Pipeline[];
  /**
   * The GitHub repository the signing workflow runs in, `owner/repo`.
   * @default - the repository of the Pipeline's `argocd.repoURL` (required without `pipeline`)
   */
  readonly repository?: string;
  /**
   * The signing workflow file, from the repository root.
   * @default - the Pipeline's `workflowPath` (required without `pipeline`)
   */
  readonly workflowPath?: string;
  /**
   * The one branch whose workflow runs may sign.
   * @default - each of the Pipeline's `branches`; 'main' without `pipeline`
   */
  readonly branch?: string;
}

/** Properties of an {@link ImageVerification}. */
export interface ImageVerificationProps extends ImageVerificationOptions {
  /**
   * The namespaces whose pods are verified: one gives a namespaced Kyverno `Policy`, several a
   * `ClusterPolicy` that matches them.
   * @default - the chart's namespace
   */
  readonly namespaces?: string[];
  /**
   * Name of the policy.
   * @default 'verify-images'
   */
  readonly name?: string;
}

/**
 * Admission that runs only what a workflow signed: a Kyverno policy that refuses every pod whose
 * images (matching `images`) lack a keyless cosign signature, in the Sigstore bundle format, from
 * the GitHub Actions workflow of a `Pipeline` (or the `repository`, `workflowPath` and `branch`
 * given); digests are required and written into the pods (Pods only, not their controllers, so
 * GitOps sees no drift). Synthesis fails when a glob matches nothing the namespace runs, or an
 * image there is neither verified nor skipped.
 * @see https://kyverno.io/docs/policy-types/cluster-policy/verify-images/sigstore/
 */
export class ImageVerification extends Construct {
  /** The namespaces verified. */
  public readonly namespaces: readonly string[];
  /** The certificate subjects (signing workflow runs) admitted, sorted. */
  public readonly subjects: readonly string[];
  /** The Kyverno `Policy` (one namespace) or `ClusterPolicy` (several). */
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: ImageVerificationProps) {
    super(scope, id);
    validateProps(this, 'ImageVerificationProps', props);
    this.namespaces = this.resolveNamespaces(props.namespaces);
    const images = this.resolveImages('images', props.images);
    const skipImages = props.skipImages === undefined ? [] : this.resolveImages('skipImages', props.skipImages);
    const pipelines = props.pipeline === undefined ? [] : Array.isArray(props.pipeline) ? props.pipeline : [props.pipeline];
    pipelines.forEach((p, i) => {
      if (!Pipeline.isPipeline(p)) throw propError(this, Array.isArray(props.pipeline) ? `pipeline[${i}]` : 'pipeline', p, 'must be a Pipeline');
    });
    this.subjects = workflowSubjects(this, { pipelines, repository: props.repository, workflowPath: props.workflowPath, branch: props.branch });
    const name = checkDnsSubdomain(this, 'name', props.name ?? 'verify-images');
    const cluster = this.namespaces.length > 1;
    claimName(this, 'name', cluster ? 'ClusterPolicy' : 'Policy', name, cluster ? '' : this.namespaces[0]);
    const labels = recommendedLabels({ name, instance: name, component: 'image-verification' });
    this.policy = new ApiObject(this, 'Policy', verifyImagesPolicy({ name, namespaces: this.namespaces, images, skipImages, subjects: this.subjects, labels }));
    // a ClusterPolicy is cluster-scoped: no namespace, whatever the chart's
    if (cluster && Chart.of(this).namespace !== undefined) this.policy.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    const record = { path: this.node.path, namespaces: this.namespaces, images, skipImages, subjects: this.subjects };
    registerVerification(this, record);
    this.node.addValidation({ validate: () => imageCoverageProblems(this, record) });
  }

  private resolveNamespaces(namespaces: string[] | undefined): string[] {
    if (namespaces === undefined) {
      const namespace = Chart.of(this).namespace;
      if (namespace === undefined) throw propError(this, 'namespaces', namespaces, `chart ${Chart.of(this).node.path || '(root)'} sets no namespace; give namespaces (the namespaces whose pods are verified), or give the chart a namespace`);
      return [namespace];
    }
    if (!Array.isArray(namespaces) || namespaces.length === 0) throw propError(this, 'namespaces', namespaces, 'must be a non-empty list of namespaces, e.g. ["shop"]');
    const list = namespaces.map((n, i) => checkDnsLabel(this, `namespaces[${i}]`, n));
    const twice = list.find((n, i) => list.indexOf(n) !== i);
    if (twice !== undefined) throw propError(this, 'namespaces', namespaces, `lists ${JSON.stringify(twice)} twice`);
    return [...list].sort();
  }

  private resolveImages(prop: string, images: string[]): string[] {
    if (!Array.isArray(images) || images.length === 0) throw propError(this, prop, images, 'must be a non-empty list of image globs, e.g. ["ghcr.io/acme/*"]');
    images.forEach((glob, i) => {
      if (typeof glob !== 'string' || glob === '' || /\s/.test(glob) || glob === '*') {
        throw propError(this, `${prop}[${i}]`, glob, 'must be an image glob naming a registry and repository, e.g. "ghcr.io/acme/*" ("*" alone would require every image, the mesh\'s and the platform\'s too, to be signed by this workflow)');
      }
    });
    return [...images];
  }
}
