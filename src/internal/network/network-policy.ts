import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { recommendedLabels } from '../core/labels';
import { lazy } from '../core/lazy';
import { writtenNamespace } from '../core/name-registry';

/** A direction a NetworkPolicy governs. */
export type PolicyType = 'Ingress' | 'Egress';

/** A label selector as NetworkPolicies write it. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** One peer of a NetworkPolicy rule. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** One port of a NetworkPolicy rule (container port). */
export interface NetworkPolicyPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** An ingress rule: traffic from `from` on `ports` (every peer / port when omitted). */
export interface IngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** An egress rule: traffic to `to` on `ports` (every peer / port when omitted). */
export interface EgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

/** The spec of a `networking.k8s.io/v1` NetworkPolicy; `policyTypes` may be resolved at synthesis. */
export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes: readonly PolicyType[] | (() => readonly PolicyType[]);
  readonly ingress?: readonly IngressRule[];
  readonly egress?: readonly EgressRule[];
}

/** What {@link createNetworkPolicy} needs. */
export interface NetworkPolicyOptions {
  readonly name: string;
  readonly namespace: string;
  /** `app.kubernetes.io/component` of the object. */
  readonly component: string;
  readonly spec: NetworkPolicySpec;
}

/** The label every namespace carries with its own name (set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A peer selecting every pod of namespace `namespace` (or only those matching `pods`). */
export function namespacePeer(namespace: string, pods?: Record<string, string>): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    ...(pods ? { podSelector: { matchLabels: pods } } : {}),
  };
}

/** TCP ports as NetworkPolicy ports. */
export function tcpPorts(ports: Iterable<number>): NetworkPolicyPort[] {
  return [...new Set(ports)].sort((a, b) => a - b).map(port => ({ port, protocol: 'TCP' }));
}

/** Creates a NetworkPolicy in `namespace` (explicit, so it lands there whatever the chart's namespace). */
export function createNetworkPolicy(scope: Construct, id: string, options: NetworkPolicyOptions): ApiObject {
  const { spec } = options;
  const policyTypes = spec.policyTypes;
  const namespace = writtenNamespace(scope, options.namespace);
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: options.name,
      namespace,
      // a chart without a namespace: nothing names one (no `default`)
      labels: recommendedLabels({ name: namespace ?? options.name, instance: options.name, component: options.component, partOf: namespace }),
    },
    spec: {
      ...spec,
      policyTypes: typeof policyTypes === 'function' ? lazy(policyTypes) : policyTypes,
    },
  });
}
