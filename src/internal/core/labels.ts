import { boundedName } from './checksum';

/** The label keys this library writes, from the Kubernetes recommended labels. */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/** The value of `app.kubernetes.io/managed-by` on every object. */
export const MANAGED_BY = 'cloudnative-constructs';

/** What the recommended labels describe. */
export interface LabelIdentity {
  /** The application name (`app.kubernetes.io/name`). */
  readonly name: string;
  /** The object's own name (`app.kubernetes.io/instance`). */
  readonly instance: string;
  /** The role in the architecture (`app.kubernetes.io/component`). */
  readonly component: string;
  /** The version, when known (`app.kubernetes.io/version`). */
  readonly version?: string;
  /** The higher-level application this is part of (`app.kubernetes.io/part-of`). */
  readonly partOf?: string;
}

/**
 * The full set of recommended labels for an object. Label values hold at most 63 characters: a
 * longer instance (an object name such as `<to>-from-<namespace>-<from>`, or an Application
 * named by a DNS subdomain) is shortened with a hash of the full name, so it stays unique.
 */
export function recommendedLabels(identity: LabelIdentity): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_NAME]: boundedName(identity.name),
    [LABEL_INSTANCE]: boundedName(identity.instance),
    [LABEL_COMPONENT]: identity.component,
    [LABEL_MANAGED_BY]: MANAGED_BY,
  };
  if (identity.version) labels[LABEL_VERSION] = identity.version;
  if (identity.partOf) labels[LABEL_PART_OF] = boundedName(identity.partOf);
  return labels;
}

/**
 * The pod selector of a workload: only labels that never change across releases
 * (name and instance), so a new version never orphans the pods of the old one.
 */
export function selectorLabels(identity: LabelIdentity): Record<string, string> {
  return { [LABEL_NAME]: identity.name, [LABEL_INSTANCE]: identity.instance };
}
