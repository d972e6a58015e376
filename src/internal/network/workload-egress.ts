import { Construct, IConstruct } from 'constructs';
import { NamespacePolicies } from './namespace-policies';
import { placementOf } from './network-flows';
import { createNetworkPolicy, EgressRule } from './network-policy';
import { INetworkPeer } from '../../network-peer';
import { getOrInsert } from '../core/get-or-insert';
import { lazy } from '../core/lazy';

interface WorkloadEgress {
  readonly rules: EgressRule[];
  readonly keys: Set<string>;
}

const EGRESS = new WeakMap<IConstruct, Map<string, WorkloadEgress>>();

/**
 * Allows the pods of `from` only to open connections matching `rule` (to a CIDR block or a
 * namespace). One NetworkPolicy `<name>-egress` per workload gathers every rule given for it;
 * it appears once the workload's namespace denies egress, whichever construct denies it, in the
 * workload's chart (the Application syncing that namespace owns it).
 */
export function allowWorkloadEgress(scope: Construct, from: INetworkPeer, rule: EgressRule): void {
  const registry = getOrInsert(EGRESS, scope.node.root, () => new Map());
  const key = `${from.namespace}/${from.name}`;
  const ruleKey = JSON.stringify(rule);
  const existing = registry.get(key);
  if (existing) {
    if (!existing.keys.has(ruleKey)) {
      existing.keys.add(ruleKey);
      existing.rules.push(rule);
    }
    return;
  }
  const egress: WorkloadEgress = { rules: [rule], keys: new Set([ruleKey]) };
  registry.set(key, egress);
  const policies = NamespacePolicies.of(scope, from.namespace);
  policies.whenDenied('Egress', () => policies.getOrCreate(scope, `${from.name}-egress`, `workload-egress:${key}`, name => createNetworkPolicy(placementOf(from), `NetworkPolicy-${from.namespace}-${name}`, {
    name,
    namespace: from.namespace,
    component: 'network-policy',
    spec: { podSelector: { matchLabels: from.selector }, policyTypes: ['Egress'], egress: lazy(() => [...egress.rules]) },
  }), 'NetworkPolicy', true));
}
