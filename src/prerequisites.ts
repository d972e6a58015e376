import { App } from 'cdk8s';
import { needsOf, PrerequisiteCategory } from './internal/prerequisites/rules';
import { validateArgs } from './internal/validation/validate-props';
import { synthObjects } from './synth';
import { Manifest } from './testing/problems';

export { PrerequisiteCategory } from './internal/prerequisites/rules';

/** One thing the cluster must provide before the output can work, and what needs it. */
export interface Prerequisite {
  /** What it is about: CRDs (`api`), `controller`s, the `kubernetes` version, the `mesh`, cert-manager `issuer`s, `prometheus`, `dns`. */
  readonly category: PrerequisiteCategory;
  /** What must exist, e.g. `CRD gateways.gateway.networking.k8s.io serving gateway.networking.k8s.io/v1`. */
  readonly requirement: string;
  /** Why, one entry per distinct reason. */
  readonly reasons: string[];
  /** The objects that need it (`Kind namespace/name`), sorted. */
  readonly neededBy: string[];
}

const CATEGORY_TITLES: Record<PrerequisiteCategory, string> = {
  api: 'CustomResourceDefinitions and API versions',
  controller: 'Controllers',
  kubernetes: 'Kubernetes version',
  mesh: 'Service mesh (Istio)',
  issuer: 'Certificates (cert-manager)',
  prometheus: 'Prometheus',
  dns: 'DNS',
};
const ORDER = Object.keys(CATEGORY_TITLES) as PrerequisiteCategory[];

/**
 * What the synthesised objects need from the cluster, derived from the objects themselves
 * (JSON patches and hand-written objects included): CRDs and the API versions they must serve,
 * controllers, the Kubernetes version, the Istio CNI plugin where injected pods meet Pod Security
 * `baseline` or `restricted`, the mesh control plane's address, cert-manager issuers, the labels
 * Prometheus must select, the DNS service. Sorted by category, then requirement.
 * @param objects the synthesised objects (e.g. read from the output folder)
 */
export function prerequisitesOf(objects: readonly object[]): Prerequisite[] {
  validateArgs('prerequisitesOf', 'prerequisitesOf', [objects]);
  const byKey = new Map<string, { category: PrerequisiteCategory; requirement: string; reasons: Set<string>; neededBy: Set<string> }>();
  for (const need of needsOf(objects.filter(o => o !== null && typeof o === 'object') as Manifest[])) {
    const key = `${need.category}\u0000${need.requirement}`;
    const entry = byKey.get(key)
      ?? { category: need.category, requirement: need.requirement, reasons: new Set<string>(), neededBy: new Set<string>() };
    entry.reasons.add(need.reason);
    entry.neededBy.add(need.object);
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .map(e => ({ category: e.category, requirement: e.requirement, reasons: [...e.reasons].sort(), neededBy: [...e.neededBy].sort() }))
    .sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category)
      || (a.requirement < b.requirement ? -1 : a.requirement > b.requirement ? 1 : 0));
}

/**
 * What the output of `app` needs from the cluster (see {@link prerequisitesOf}), from the objects
 * it synthesises; nothing is written. `npx cloudnative-constructs prerequisites` prints the same.
 */
export function prerequisites(app: App): Prerequisite[] {
  validateArgs('prerequisites', 'prerequisites', [app]);
  return prerequisitesOf(synthObjects(app) as object[]);
}

/**
 * The prerequisites as text, by category, each with up to `maxObjects` of the objects needing it.
 * @param maxObjects @default 3
 */
export function formatPrerequisites(list: readonly Prerequisite[], maxObjects = 3): string {
  validateArgs('formatPrerequisites', 'formatPrerequisites', [list, maxObjects]);
  if (list.length === 0) return 'Nothing beyond a Kubernetes cluster.\n';
  const out: string[] = [];
  for (const category of ORDER) {
    const items = list.filter(p => p.category === category);
    if (items.length === 0) continue;
    out.push(`${CATEGORY_TITLES[category]}:`);
    for (const p of items) {
      const more = p.neededBy.length > maxObjects ? `, and ${p.neededBy.length - maxObjects} more` : '';
      out.push(`  - ${p.requirement}`, `      why: ${p.reasons.join('; ')}`, `      needed by: ${p.neededBy.slice(0, maxObjects).join(', ')}${more}`);
    }
    out.push('');
  }
  return out.join('\n');
}
