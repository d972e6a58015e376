import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { globMatches, kyvernoImageString } from './image-references';
import { getOrInsert } from '../core/get-or-insert';
import { namespaceOf } from '../core/name-registry';
import { ContainerJson, finalPodTemplate, POD_OWNER_KINDS } from '../workload/pod-templates';

/** What an ImageVerification admits, as the whole-app checks read it. */
export interface VerificationRecord {
  readonly path: string;
  readonly namespaces: readonly string[];
  readonly images: readonly string[];
  readonly skipImages: readonly string[];
  readonly subjects: readonly string[];
}

/** A container image the app runs, and who runs it (for messages). */
interface RunImage {
  readonly owner: string;
  readonly namespace: string;
  readonly image: string;
  /** The image as Kyverno matches it (`registry/repository@digest` or `:tag`). */
  readonly matched: string;
}

/** Istio's proxy image as its sidecar injector and gateway deployments write it (the two public hubs). */
const ISTIO_PROXY_IMAGES = ['docker.io/istio/proxyv2:1.24.0', 'gcr.io/istio-release/proxyv2:1.24.0'];

const RECORDS = new WeakMap<IConstruct, VerificationRecord[]>();

/** Records an ImageVerification of the app, for the checks of every other one. */
export function registerVerification(scope: IConstruct, record: VerificationRecord): void {
  getOrInsert(RECORDS, scope.node.root, () => []).push(record);
}

/** Every container image of the app's pods and pod templates in `namespaces`, after JSON patches. */
function runImages(root: IConstruct, namespaces: readonly string[]): RunImage[] {
  const images: RunImage[] = [];
  for (const object of root.node.findAll()) {
    if (!ApiObject.isApiObject(object) || !(POD_OWNER_KINDS.includes(object.kind) || object.kind === 'Pod')) continue;
    const namespace = object.metadata.namespace ?? namespaceOf(object);
    if (!namespaces.includes(namespace)) continue;
    const spec = object.kind === 'Pod' ? (object.toJson().spec as { containers?: ContainerJson[]; initContainers?: ContainerJson[] }) : finalPodTemplate(object)?.spec;
    const owner = `${object.kind} ${JSON.stringify(object.name)} (${object.node.scope?.node.path ?? object.node.path})`;
    for (const container of [...spec?.initContainers ?? [], ...spec?.containers ?? []]) {
      if (typeof container.image !== 'string') continue;
      images.push({ owner: `${owner} container ${JSON.stringify(container.name)}`, namespace, image: container.image, matched: kyvernoImageString(container.image) });
    }
  }
  return images;
}

/**
 * The problems of one ImageVerification with what the app runs: a glob (of `images` or
 * `skipImages`) that matches no image of its namespaces; and, for each of its namespaces (reported
 * once, by the first verification of the namespace), an image no verification verifies or skips
 * (it would run unchecked), and an image two verifications verify with other signers (Kyverno
 * applies both policies, so it would be refused).
 */
export function imageCoverageProblems(scope: IConstruct, record: VerificationRecord): string[] {
  const all = RECORDS.get(scope.node.root) ?? [];
  const images = runImages(scope.node.root, record.namespaces);
  const where = `namespace${record.namespaces.length > 1 ? 's' : ''} ${record.namespaces.map(n => JSON.stringify(n)).join(', ')}`;
  const fix = 'Kyverno matches "registry/repository@digest" (or ":tag"), so end the glob with "*" (e.g. "ghcr.io/acme/web@*" or "ghcr.io/acme/*"), or remove it';
  // a skipped glob may name the Istio proxy, which runs in meshed pods without being in the manifests
  const matchesAny = (glob: string, proxy: boolean) => images.some(img => globMatches(glob, img.matched))
    || (proxy && ISTIO_PROXY_IMAGES.some(i => globMatches(glob, i)));
  const unmatched = (prop: string, globs: readonly string[]) => globs.flatMap((glob, i) => (matchesAny(glob, prop === 'skipImages') ? [] : [
    `${record.path}: invalid ${prop}[${i}] ${JSON.stringify(glob)}: matches no image the workloads of ${where} run (${describeImages(images)}); ${fix}`,
  ]));
  const problems = [...unmatched('images', record.images), ...unmatched('skipImages', record.skipImages), ...meshProxyProblems(record)];
  for (const namespace of record.namespaces) {
    const verifications = all.filter(r => r.namespaces.includes(namespace));
    if (verifications[0]?.path !== record.path) continue;
    for (const img of images.filter(x => x.namespace === namespace)) problems.push(...imageProblems(img, verifications));
  }
  return problems;
}

/** An image no verification of its namespace verifies or skips, or that two verify with different signers. */
function imageProblems(img: RunImage, verifications: readonly VerificationRecord[]): string[] {
  const matches = (globs: readonly string[]) => globs.some(glob => globMatches(glob, img.matched));
  const skipped = verifications.some(v => matches(v.skipImages));
  const verifying = verifications.filter(v => matches(v.images) && !matches(v.skipImages));
  const run = `${img.owner} runs image ${JSON.stringify(img.image)} in namespace ${JSON.stringify(img.namespace)}`;
  if (verifying.length === 0 && !skipped) {
    return [`${run}, which no image glob of its ImageVerification (${verifications.map(v => v.path).join(', ')}) covers, so Kyverno would admit it unchecked; add a glob for it to images (with the identity that signs it), or to skipImages to run it unverified on purpose`];
  }
  if (new Set(verifying.map(v => v.subjects.join(' '))).size > 1) {
    return [`${run}, which ${verifying.map(v => v.path).join(' and ')} both verify with different signers; Kyverno applies every policy, so the image would need both signatures and is refused: narrow the globs (or skip it in one), or give both Pipelines to one ImageVerification (pipeline: [a, b])`];
  }
  return [];
}

/**
 * A glob that matches Istio's proxy image (not in the manifests: injected as a sidecar, and run by
 * gateway pods) unless skipped: Kyverno would refuse every meshed pod, as no workflow of yours signs it.
 */
function meshProxyProblems(record: VerificationRecord): string[] {
  const skipped = (image: string) => record.skipImages.some(glob => globMatches(glob, image));
  return record.images.flatMap((glob, i) => {
    const proxy = ISTIO_PROXY_IMAGES.find(image => globMatches(glob, image) && !skipped(image));
    return proxy === undefined ? [] : [
      `${record.path}: invalid images[${i}] ${JSON.stringify(glob)}: also matches Istio's proxy image (${proxy.replace(/:.*$/, '')}), which the mesh injects into pods and runs in gateway pods and no workflow of yours signs, so Kyverno would refuse them; narrow the glob (e.g. "ghcr.io/acme/*"), or skip it (skipImages: ["${proxy.replace(/proxyv2:.*$/, '*')}"])`,
    ];
  });
}

function describeImages(images: readonly RunImage[]): string {
  if (images.length === 0) return 'they run none';
  return `they run ${[...new Set(images.map(i => JSON.stringify(i.matched)))].join(', ')}`;
}
