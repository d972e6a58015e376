import { join, Manifest } from './problems';

/** A pod template found inside a workload (or a bare Pod). */
export interface PodTemplate {
  readonly owner: Manifest;
  /** JSON path of the template (`spec.template`), or '' for a Pod. */
  readonly path: string;
  readonly metadata: { labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any };
  readonly spec: any;
}

/** A container of a pod spec with its JSON path. */
export interface ContainerRef {
  readonly container: any;
  readonly path: string;
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
}

const TEMPLATE_KINDS: Record<string, string> = {
  'apps/Deployment': 'spec.template',
  'apps/StatefulSet': 'spec.template',
  'apps/DaemonSet': 'spec.template',
  'apps/ReplicaSet': 'spec.template',
  'batch/Job': 'spec.template',
  'batch/CronJob': 'spec.jobTemplate.spec.template',
  '/ReplicationController': 'spec.template',
  '/PodTemplate': 'template',
};

/** API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Every pod template of an object: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, ... */
export function podTemplateOf(obj: Manifest): PodTemplate | undefined {
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'Pod') return { owner: obj, path: '', metadata: obj.metadata ?? {}, spec: obj.spec ?? {} };
  const at = TEMPLATE_KINDS[`${group}/${obj.kind}`];
  if (!at) return undefined;
  const template = at.split('.').reduce<any>((v, k) => v?.[k], obj);
  return { owner: obj, path: at, metadata: template?.metadata ?? {}, spec: template?.spec ?? {} };
}

/** JSON path of the pod spec of a template. */
export function specPath(t: PodTemplate): string {
  return t.path ? `${t.path}.spec` : 'spec';
}

/** All containers of a pod spec: containers, initContainers and ephemeralContainers. */
export function containersOf(t: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    (t.spec?.[list] ?? []).forEach((c: any, i: number) => out.push({ container: c, path: join(join(specPath(t), list), i), list }));
  }
  return out;
}
