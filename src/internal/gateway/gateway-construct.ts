import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createGatewayApiObject, gatewayPodSelector, gatewayServiceAccount, hostListenerName, ListenerProtocol } from './gateway-api';
import { createGatewayParameters, gatewayInfrastructure, gatewayParametersName } from './gateway-parameters';
import { gatewayPodProblems } from './gateway-pod-security';
import { ISTIO_GATEWAY_CLASS } from './istio-gateway-deployment';
import type { AllowedRoutes, GatewayOptions } from '../../gateway-options';
import { propError } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { claimName, namespaceOf } from '../core/name-registry';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, checkResourceName } from '../core/validate';
import { allowGatewayToIstiod } from '../network/gateway-allowance';
import { NAMESPACE_NAME_LABEL } from '../network/network-policy';

/** A Gateway has at most 64 listeners. */
const MAX_LISTENERS = 64;

/** The options every gateway construct shares, validated, with what follows from them. */
export interface GatewayIdentity {
  readonly name: string;
  readonly namespace: string;
  /** The namespace to write on the objects: none when it is the chart's own. */
  readonly writtenNamespace?: string;
  readonly className: string;
  readonly allowedRoutes: AllowedRoutes;
  /** Labels of the gateway's pods (as Istio's automated deployment sets them). */
  readonly selector: Record<string, string>;
  /** The ServiceAccount Istio runs the pods as: their mesh identity. */
  readonly serviceAccountName: string;
  /** The recommended labels of the gateway's objects. */
  readonly labels: Record<string, string>;
  /** Whether the gateway's pods are Istio proxies (class `istio`): a mesh identity whatever the namespace's injection. */
  readonly meshProxy: boolean;
  /** The namespace of the Istio control plane the pods reach, when given. */
  readonly controlPlaneNamespace?: string;
}

/** Validates the options every gateway construct shares (`name`, `namespace`, `className`, `allowedRoutes`). */
export function resolveGatewayIdentity(scope: Construct, props: GatewayOptions): GatewayIdentity {
  if (typeof props !== 'object' || props === null || Array.isArray(props)) throw propError(scope, 'props', props, 'must be an object');
  const name = checkResourceName(scope, 'name', props.name ?? scope.node.id);
  const chartNamespace = namespaceOf(scope);
  const namespace = props.namespace === undefined ? chartNamespace : checkDnsLabel(scope, 'namespace', props.namespace);
  const className = checkDnsSubdomain(scope, 'className', props.className ?? 'istio');
  return {
    name,
    namespace,
    writtenNamespace: namespace === chartNamespace && props.namespace === undefined ? undefined : namespace,
    className,
    allowedRoutes: resolveAllowedRoutes(scope, props.allowedRoutes ?? 'Same'),
    selector: gatewayPodSelector(name),
    serviceAccountName: gatewayServiceAccount(name, className),
    labels: recommendedLabels({ name, instance: name, component: 'gateway', partOf: namespace }),
    meshProxy: className === ISTIO_GATEWAY_CLASS,
    controlPlaneNamespace: props.controlPlaneNamespace === undefined ? undefined : checkDnsLabel(scope, 'controlPlaneNamespace', props.controlPlaneNamespace),
  };
}

/**
 * Validates a gateway's hosts: host names (a leading `*.` allowed), each once, at most
 * `maxListeners - reserved` of them (one listener each, beside `reserved` other listeners), each
 * leaving room for its listener name `<protocol>-<host>`.
 */
export function resolveGatewayHosts(scope: Construct, hosts: readonly string[], protocol: ListenerProtocol, reserved: number): string[] {
  const max = MAX_LISTENERS - reserved;
  if (hosts.length > max) {
    throw propError(scope, 'hosts', `${hosts.length} hosts`, `must list at most ${max} hosts: a Gateway has at most ${MAX_LISTENERS} listeners (one per host${reserved > 0 ? ' and the HTTP one' : ''}); use a wildcard host or a second gateway`);
  }
  const resolved = hosts.map((host, i) => checkHostname(scope, `hosts[${i}]`, host));
  const duplicate = resolved.find((host, i) => resolved.indexOf(host) !== i);
  if (duplicate !== undefined) throw propError(scope, 'hosts', hosts, `lists ${JSON.stringify(duplicate)} twice`);
  const tooLong = resolved.find(host => hostListenerName(protocol, host).length > 253);
  if (tooLong !== undefined) throw propError(scope, 'hosts', tooLong, `must leave room for the listener name "${protocol.toLowerCase()}-<host>" (at most 253 characters)`);
  return resolved;
}

/** `allowedRoutes` of a listener that serves the gateway's routes. */
export function allowedRoutesSpec(allowed: AllowedRoutes): Record<string, unknown> {
  if (allowed === 'Same' || allowed === 'All') return { namespaces: { from: allowed } };
  return {
    namespaces: {
      from: 'Selector',
      selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...allowed.namespaces] }] },
    },
  };
}

/** Creates the `Gateway` of a gateway construct (id `Gateway`), claiming its name in its namespace. */
export function createGateway(scope: Construct, identity: GatewayIdentity, listeners: ReadonlyArray<Record<string, unknown>>,
  annotations?: Record<string, string>): ApiObject {
  claimName(scope, 'name', 'Gateway', identity.name, identity.namespace);
  return createGatewayApiObject(scope, 'Gateway', {
    kind: 'Gateway',
    name: identity.name,
    namespace: identity.writtenNamespace,
    labels: identity.labels,
    annotations,
    spec: {
      gatewayClassName: identity.className,
      ...(identity.meshProxy ? { infrastructure: gatewayInfrastructure(identity.name) } : {}),
      listeners,
    },
  });
}

/**
 * The pods Istio deploys for a Gateway of class `istio`: their seccomp profile (the parameters
 * ConfigMap the Gateway's `spec.infrastructure` names), their egress to istiod, and the check of
 * the pod Istio will render against the namespace's Pod Security level. Returns the ConfigMap.
 */
export function configureIstioGatewayPods(scope: Construct, identity: GatewayIdentity, gateway: ApiObject): ApiObject {
  claimName(scope, 'name', 'ConfigMap', gatewayParametersName(identity.name), identity.namespace);
  const parameters = createGatewayParameters(scope, { name: identity.name, namespace: identity.writtenNamespace, labels: identity.labels });
  const pods = { namespace: identity.namespace, labels: identity.selector, serviceAccount: identity.serviceAccountName };
  allowGatewayToIstiod(scope, identity.name, pods, identity.controlPlaneNamespace ?? 'istio-system');
  scope.node.addValidation({ validate: () => gatewayPodProblems(scope, gateway) });
  return parameters;
}

function resolveAllowedRoutes(scope: Construct, value: AllowedRoutes): AllowedRoutes {
  if (value === 'Same' || value === 'All') return value;
  const namespaces = (value as { namespaces?: unknown } | null)?.namespaces;
  if (typeof value !== 'object' || value === null || !Array.isArray(namespaces) || namespaces.length === 0) {
    throw propError(scope, 'allowedRoutes', value, 'must be "Same", "All" or { namespaces: [...] } with at least one namespace, e.g. { namespaces: ["shop", "blog"] }');
  }
  const names = namespaces.map((ns, i) => checkDnsLabel(scope, `allowedRoutes.namespaces[${i}]`, ns as string));
  return { namespaces: [...new Set(names)].sort() };
}
