/** A Kubernetes object as read from YAML or produced by `ApiObject.toJson()`. */
export interface ManifestObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The API group of an `apiVersion` (`''` for the core group). */
export function groupOf(apiVersion: string | undefined): string {
  const value = apiVersion ?? '';
  return value.includes('/') ? value.slice(0, value.indexOf('/')) : '';
}

/**
 * The identity of an object on the cluster: group, kind, namespace and name (the version is not
 * part of it: `apps/v1` and `apps/v1beta1` Deployments are the same object).
 */
export function objectKey(obj: ManifestObject): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
}

/** `Kind namespace/name` (or `Kind name` without a namespace), for reports. */
export function describeObject(obj: ManifestObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/** Whether a document is a Kubernetes object (it has a kind and a name). */
export function isManifestObject(doc: unknown): doc is ManifestObject {
  const o = doc as ManifestObject;
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc)
    && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
}
