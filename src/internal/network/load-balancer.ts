import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createMeshAllowance } from './mesh-allowance';
import { NamespacePolicies } from './namespace-policies';
import { checkCidr } from './network-cidr';
import { createNetworkPolicy, tcpPorts } from './network-policy';
import { LoadBalancerOptions } from '../../load-balancer-options';
import { propError } from '../core/errors';
import { claimName, namespaceOf } from '../core/name-registry';
import { checkOptionalObject, checkPort, checkQualifiedKey } from '../core/validate';
import { PlainTextPort } from '../mesh/plain-text-ports';
import { WorkloadFoundation } from '../workload/workload-foundation';

/** A `loadBalancer` prop after validation. */
export interface ResolvedLoadBalancer {
  readonly port: number;
  readonly sourceRanges?: readonly string[];
  readonly annotations?: Record<string, string>;
}

/** Validates a `loadBalancer` prop: a port, CIDR blocks (listed once) and string annotations. */
export function resolveLoadBalancer(scope: Construct, options: LoadBalancerOptions | undefined): ResolvedLoadBalancer | undefined {
  if (options === undefined) return undefined;
  checkOptionalObject(scope, 'loadBalancer', options, '{ port: 80, sourceRanges: ["203.0.113.0/24"] }');
  const port = checkPort(scope, 'loadBalancer.port', options.port ?? 80);
  const ranges = options.sourceRanges;
  if (ranges !== undefined && (!Array.isArray(ranges) || ranges.length === 0)) {
    throw propError(scope, 'loadBalancer.sourceRanges', ranges, 'must be a non-empty list of CIDR blocks such as ["203.0.113.0/24"]; leave it out to admit any address');
  }
  const sourceRanges = ranges?.map((cidr, i) => checkCidr(scope, `loadBalancer.sourceRanges[${i}]`, cidr));
  const duplicate = sourceRanges?.find((cidr, i) => sourceRanges.indexOf(cidr) !== i);
  if (duplicate !== undefined) throw propError(scope, 'loadBalancer.sourceRanges', ranges, `lists ${JSON.stringify(duplicate)} twice`);
  const annotations = options.annotations;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    checkQualifiedKey(scope, `loadBalancer.annotations.${key}`, key);
    if (typeof value !== 'string') throw propError(scope, `loadBalancer.annotations.${key}`, value, 'annotation values must be strings');
  }
  return { port, sourceRanges, annotations };
}

/** The plain-text port a load balancer needs under STRICT mTLS (its traffic has no sidecar): the main container port. */
export function loadBalancerPlainText(lb: ResolvedLoadBalancer | undefined, containerPort: number): PlainTextPort[] {
  return lb ? [{ port: containerPort, purpose: 'external' }] : [];
}

/**
 * Exposes the workload's port outside the cluster: the Service `<name>-external` of type
 * LoadBalancer (`port` → the container port, `externalTrafficPolicy: Local` so the pods see the
 * client's address), and what lets outside traffic in and nothing more, each once it has an
 * effect: the NetworkPolicy `<name>-external` opening the container port to `sourceRanges` (or
 * any address) once ingress is denied, and in an Istio deny-by-default namespace the ALLOW
 * AuthorizationPolicy `<name>-external` for that port from any source (clients outside the mesh
 * carry no identity). The port's PERMISSIVE mTLS comes from {@link loadBalancerPlainText}.
 */
export function exposeLoadBalancer(scope: Construct, lb: ResolvedLoadBalancer, foundation: WorkloadFoundation): ApiObject {
  const { workload, labels, selector } = foundation;
  const name = `${workload.name}-external`;
  const namespace = namespaceOf(scope);
  claimName(scope, 'loadBalancer', 'Service', name);
  const service = new ApiObject(scope, 'ExternalService', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels, annotations: lb.annotations },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: lb.sourceRanges,
      selector,
      ports: [{
        name: workload.portName,
        port: lb.port,
        targetPort: workload.portName,
        protocol: 'TCP',
        appProtocol: workload.appProtocol === 'tcp' ? undefined : workload.appProtocol,
      }],
    },
  });
  const policies = NamespacePolicies.of(scope, namespace);
  const signature = `load-balancer:${namespace}/${workload.name}:${workload.port}`;
  const from = lb.sourceRanges?.map(cidr => ({ ipBlock: { cidr } }));
  policies.whenDenied('Ingress', () => policies.getOrCreate(scope, name, signature, n => createNetworkPolicy(scope, 'NetworkPolicy-external', {
    name: n,
    namespace,
    component: 'network-policy',
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [{ ...(from ? { from } : {}), ports: tcpPorts([workload.port]) }],
    },
  }), 'NetworkPolicy', false, 'loadBalancer'));
  policies.whenMeshDeniesByDefault(() => policies.getOrCreate(scope, name, `mesh:${signature}`, n => createMeshAllowance(scope, 'AuthorizationPolicy-external', {
    name: n, namespace, selector, ports: [String(workload.port)],
  }), 'AuthorizationPolicy', false, 'loadBalancer'));
  return service;
}
