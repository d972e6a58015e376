import { shortHash } from '../core/checksum';
import { LABEL_CANONICAL_REVISION } from '../workload/pod-metadata';

const HASH_LENGTH = 10;
const MAX_LABEL_VALUE = 63;

/**
 * The revision of a Rollout's pod template: its version (the image tag) and a hash of the whole
 * template, the revision label itself left out. Any change of the template — a new image, an
 * environment variable, a config checksum, a user's JSON patch — gives a new revision, and the
 * same template always the same one, so the new pods' telemetry never mixes with the stable
 * pods' (Argo Rollouts starts a new ReplicaSet exactly when the template changes).
 */
export function templateRevision(version: string, template: unknown): string {
  const hash = shortHash(canonicalJson(withoutRevisionLabel(template)), HASH_LENGTH);
  const prefix = version.slice(0, MAX_LABEL_VALUE - HASH_LENGTH - 1).replace(/[^A-Za-z0-9]+$/, '');
  return prefix === '' ? hash : `${prefix}-${hash}`;
}

/** `template` without the revision label (so the revision does not depend on itself). */
function withoutRevisionLabel(template: unknown): unknown {
  const t = template as { metadata?: { labels?: Record<string, string> } } | undefined;
  const labels = t?.metadata?.labels;
  if (labels === undefined || !(LABEL_CANONICAL_REVISION in labels)) return template;
  const { [LABEL_CANONICAL_REVISION]: _revision, ...rest } = labels;
  return { ...t, metadata: { ...t!.metadata, labels: rest } };
}

/** JSON with object keys in order at every level: the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().filter(k => record[k] !== undefined).map(k => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
