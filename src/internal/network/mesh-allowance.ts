import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthorizationSource, createAuthorizationPolicy } from '../../istio/authorization-policy';
import { recommendedLabels } from '../core/labels';
import { writtenNamespace } from '../core/name-registry';

/** One ALLOW rule of a deny-by-default mesh: who may reach which pods, on which ports. */
export interface MeshAllowance {
  /** The AuthorizationPolicy's name. */
  readonly name: string;
  /** The namespace of the receiving pods. */
  readonly namespace: string;
  /** Labels of the receiving pods; every pod of the namespace when omitted. */
  readonly selector?: Record<string, string>;
  /** Who may connect: ServiceAccount principals or namespaces; anyone when omitted (clients outside the mesh). */
  readonly source?: AuthorizationSource;
  /** The receiving ports; every port when omitted. */
  readonly ports?: readonly string[];
}

/** Creates the ALLOW AuthorizationPolicy of one allowance. */
export function createMeshAllowance(scope: Construct, id: string, allowance: MeshAllowance): ApiObject {
  const namespace = writtenNamespace(scope, allowance.namespace);
  return createAuthorizationPolicy(scope, id, {
    name: allowance.name,
    namespace,
    labels: recommendedLabels({ name: namespace ?? allowance.name, instance: allowance.name, component: 'authorization-policy', partOf: namespace }),
    spec: {
      selector: allowance.selector ? { matchLabels: allowance.selector } : undefined,
      action: 'ALLOW',
      rules: [{
        from: allowance.source ? [{ source: allowance.source }] : undefined,
        to: allowance.ports ? [{ operation: { ports: allowance.ports } }] : undefined,
      }],
    },
  });
}
