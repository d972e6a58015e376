import { podTemplateOf, PodTemplate } from './pod-specs';
import { Manifest } from './types';

/** A Kubernetes label selector (`matchLabels` + `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** True when `labels` satisfy `selector` (empty selector matches everything). */
export function matches(selector: LabelSelector | undefined, labels: Record<string, string> = {}): boolean {
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    const ok = e.operator === 'In' ? inValues : e.operator === 'NotIn' ? !inValues : e.operator === 'Exists' ? has : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

/** Namespace of an object for cross-references (`''` when the synthesis leaves it unset). */
export function nsOf(obj: Manifest): string {
  return obj.metadata?.namespace ?? '';
}

/** Pod templates of all workloads in `objects` that live in `namespace`. */
export function templatesIn(objects: Manifest[], namespace: string): PodTemplate[] {
  return objects.filter((o) => nsOf(o) === namespace).map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
}
