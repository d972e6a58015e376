import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, checkOptionalObject, checkResourceName } from './internal/core/validate';
import {
  createGatewayApiObject, gatewayPodSelector, gatewayServiceAccount, GATEWAY_API_GROUP, HTTP_LISTENER, HTTP_PORT, HTTPS_PORT, httpsListenerName,
} from './internal/gateway/gateway-api';
import { createGatewayParameters, gatewayInfrastructure, gatewayParametersName } from './internal/gateway/gateway-parameters';
import { gatewayPodProblems } from './internal/gateway/gateway-pod-security';
import { allowsRoutesFrom, HTTPS_GATEWAY_BRAND, listenerFor, resolveGatewayRef } from './internal/gateway/gateway-ref';
import { ISTIO_GATEWAY_CLASS } from './internal/gateway/istio-gateway-deployment';
import { allowGatewayToIstiod } from './internal/network/gateway-allowance';
import { NAMESPACE_NAME_LABEL } from './internal/network/network-policy';
import { validateProps } from './internal/validation/validate-props';
import { INetworkPeer } from './network-peer';

/** A Gateway has at most 64 listeners: one HTTP listener and one HTTPS listener per host. */
const MAX_HOSTS = 63;

/**
 * The certificate of an {@link HttpsGateway}'s HTTPS listeners.
 */
export interface HttpsGatewayTls {
  /**
   * The `kubernetes.io/tls` Secret, in the gateway's namespace, holding the certificate of every
   * host (cert-manager fills one Secret with one certificate for all the hosts that use it).
   * @default - `<name>-tls`
   */
  readonly secretName?: string;
  /**
   * A cert-manager ClusterIssuer that issues the certificate into the Secret (annotation
   * `cert-manager.io/cluster-issuer` on the Gateway; cert-manager's Gateway API support must be on).
   * @see https://cert-manager.io/docs/usage/gateway/
   * @default - no annotation: the Secret is provided otherwise
   */
  readonly clusterIssuer?: string;
}

/**
 * The namespaces whose routes may attach to the HTTPS listeners: `'Same'` (the gateway's own),
 * `'All'`, or the listed ones (selected by their `kubernetes.io/metadata.name` label).
 */
export type AllowedRoutes = 'Same' | 'All' | {
  /** The namespaces whose routes may attach. */
  readonly namespaces: readonly string[];
};

/**
 * Properties of an {@link HttpsGateway}.
 */
export interface HttpsGatewayProps {
  /**
   * The Gateway's name (a DNS-1035 label: Istio names the gateway's Deployment, Service and
   * ServiceAccount `<name>-<className>`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The namespace of the Gateway (and of the gateway pods Istio deploys for it).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The GatewayClass (`spec.gatewayClassName`).
   * @default 'istio'
   */
  readonly className?: string;
  /** The host names served over HTTPS, one listener each (a leading `*.` wildcard is allowed). */
  readonly hosts: string[];
  /**
   * The certificate: the Secret holding it, and optionally the cert-manager ClusterIssuer that fills it.
   * @default { secretName: '<name>-tls' }
   */
  readonly tls?: HttpsGatewayTls;
  /**
   * The namespaces whose HTTPRoutes may attach to the HTTPS listeners.
   * @default 'Same'
   */
  readonly allowedRoutes?: AllowedRoutes;
  /**
   * The namespace of the Istio control plane, which the gateway's pods (full Istio proxies) reach
   * on port 15012; only for the class `istio`.
   * @default - the `istio.controlPlaneNamespace` of the gateway namespace's SecureNamespace, else 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
}

/**
 * A shared HTTPS entry point on Gateway API (`gateway.networking.k8s.io/v1`): a `Gateway` with
 * one HTTPS listener per host (`https-<host>`, TLS terminated with the Secret), and an HTTP
 * listener `http` whose only route, `<name>-https-redirect`, answers every request with a
 * permanent redirect to HTTPS. Apps attach with their `route` prop, always to the HTTPS listeners.
 *
 * With the default class `istio`, Istio deploys the gateway's pods in the gateway's namespace, as
 * the ServiceAccount `<name>-istio`, labelled `gateway.networking.k8s.io/gateway-name: <name>`;
 * `NetworkPolicyBundle.allowFromGateway` selects them by that label. These pods are full Istio
 * proxies whatever the namespace's sidecar injection: they get egress to istiod
 * (`<name>-to-istiod`, once the namespace denies egress) and keep their mesh identity, and a
 * ConfigMap `<name>-gateway-options`, named by the Gateway's `spec.infrastructure.parametersRef`,
 * gives them the seccomp profile Pod Security `restricted` requires (Istio ≥ 1.24, Gateway API ≥
 * 1.1). The pod Istio will render is checked at synthesis against the Pod Security level of the
 * namespace (when its Namespace is in the App).
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/
 */
export class HttpsGateway extends Construct implements INetworkPeer {
  /** Whether `x` is an HttpsGateway (works across copies of this package). */
  public static isHttpsGateway(x: unknown): x is HttpsGateway {
    return typeof x === 'object' && x !== null && HTTPS_GATEWAY_BRAND in x;
  }

  /** The Gateway's name. */
  public readonly name: string;
  /** The Gateway's namespace, where its pods run. */
  public readonly namespace: string;
  /** The GatewayClass. */
  public readonly className: string;
  /** The hosts served over HTTPS. */
  public readonly hosts: readonly string[];
  /** The Secret holding the certificate. */
  public readonly secretName: string;
  /** The namespaces whose routes may attach (listed namespaces sorted and without repeats). */
  public readonly allowedRoutes: AllowedRoutes;
  /** Labels of the gateway's pods (as Istio's automated deployment sets them). */
  public readonly selector: Record<string, string>;
  /** The ServiceAccount Istio runs the gateway's pods as, `<name>-<className>`: their mesh identity. */
  public readonly serviceAccountName: string;
  /** The HTTPS port, which peers reach by default. */
  public readonly port = HTTPS_PORT;
  /** The ports the gateway's pods listen on: HTTP and HTTPS. */
  public readonly containerPorts: readonly number[] = [HTTP_PORT, HTTPS_PORT];
  /** The Gateway. */
  public readonly gateway: ApiObject;
  /** The HTTPRoute `<name>-https-redirect` attached to the HTTP listener. */
  public readonly redirectRoute: ApiObject;
  /** Whether the gateway's pods are Istio proxies (class `istio`): a mesh identity whatever the namespace's injection. */
  public readonly meshProxy: boolean;
  /** The ConfigMap `<name>-gateway-options` of Istio's Gateway customization (class `istio`): the gateway pods' seccomp profile. */
  public readonly parameters?: ApiObject;

  constructor(scope: Construct, id: string, props: HttpsGatewayProps) {
    super(scope, id);
    validateProps(this, 'HttpsGatewayProps', props);
    Object.defineProperty(this, HTTPS_GATEWAY_BRAND, { value: true });
    if (typeof props !== 'object' || props === null || Array.isArray(props)) throw propError(this, 'props', props, 'must be an object with at least { hosts }');
    this.name = checkResourceName(this, 'name', props.name ?? id);
    const chartNamespace = namespaceOf(this);
    this.namespace = props.namespace === undefined ? chartNamespace : checkDnsLabel(this, 'namespace', props.namespace);
    this.className = checkDnsSubdomain(this, 'className', props.className ?? 'istio');
    this.hosts = resolveHosts(this, props.hosts);
    checkOptionalObject(this, 'tls', props.tls, '{ clusterIssuer: "letsencrypt-prod" }');
    this.secretName = checkDnsSubdomain(this, 'tls.secretName', props.tls?.secretName ?? `${this.name}-tls`);
    const issuer = props.tls?.clusterIssuer === undefined ? undefined : checkDnsSubdomain(this, 'tls.clusterIssuer', props.tls.clusterIssuer);
    this.allowedRoutes = resolveAllowedRoutes(this, props.allowedRoutes ?? 'Same');
    this.selector = gatewayPodSelector(this.name);
    this.serviceAccountName = gatewayServiceAccount(this.name, this.className);
    this.meshProxy = this.className === ISTIO_GATEWAY_CLASS;

    const namespace = this.namespace === chartNamespace && props.namespace === undefined ? undefined : this.namespace;
    const labels = recommendedLabels({ name: this.name, instance: this.name, component: 'gateway', partOf: this.namespace });
    claimName(this, 'name', 'Gateway', this.name, this.namespace);
    this.gateway = createGatewayApiObject(this, 'Gateway', {
      kind: 'Gateway',
      name: this.name,
      namespace,
      labels,
      annotations: issuer === undefined ? undefined : { 'cert-manager.io/cluster-issuer': issuer },
      spec: {
        gatewayClassName: this.className,
        ...(this.meshProxy ? { infrastructure: gatewayInfrastructure(this.name) } : {}),
        listeners: [
          { name: HTTP_LISTENER, port: HTTP_PORT, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
          ...this.hosts.map(hostname => ({
            name: httpsListenerName(hostname),
            hostname,
            port: HTTPS_PORT,
            protocol: 'HTTPS',
            tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: this.secretName }] },
            allowedRoutes: { namespaces: namespacesSpec(this.allowedRoutes) },
          })),
        ],
      },
    });

    const redirectName = `${this.name}-https-redirect`;
    claimName(this, 'name', 'HTTPRoute', redirectName, this.namespace);
    this.redirectRoute = createGatewayApiObject(this, 'RedirectRoute', {
      kind: 'HTTPRoute',
      name: redirectName,
      namespace,
      labels: recommendedLabels({ name: this.name, instance: redirectName, component: 'gateway', partOf: this.namespace }),
      spec: {
        parentRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: this.name, sectionName: HTTP_LISTENER }],
        hostnames: [...this.hosts],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
    if (this.meshProxy) this.parameters = this.configureIstioPods(props, namespace, labels);
  }

  /**
   * The pods Istio deploys for the Gateway: their seccomp profile (the parameters ConfigMap),
   * their egress to istiod, and the check of the rendered pod against the namespace's Pod Security.
   */
  private configureIstioPods(props: HttpsGatewayProps, namespace: string | undefined, labels: Record<string, string>): ApiObject {
    claimName(this, 'name', 'ConfigMap', gatewayParametersName(this.name), this.namespace);
    const parameters = createGatewayParameters(this, { name: this.name, namespace, labels });
    const controlPlane = props.controlPlaneNamespace === undefined ? 'istio-system'
      : checkDnsLabel(this, 'controlPlaneNamespace', props.controlPlaneNamespace);
    const pods = { namespace: this.namespace, labels: this.selector, serviceAccount: this.serviceAccountName };
    allowGatewayToIstiod(this, this.name, pods, controlPlane);
    this.node.addValidation({ validate: () => gatewayPodProblems(this, this.gateway) });
    return parameters;
  }

  /** The name of the HTTPS listener serving `host` (its own, or the wildcard covering it), if any. */
  public listenerFor(host: string): string | undefined {
    return listenerFor(resolveGatewayRef(this, 'gateway', this), host);
  }

  /** Whether routes in `namespace` may attach to the HTTPS listeners. */
  public allowsRoutesFrom(namespace: string): boolean {
    return allowsRoutesFrom(resolveGatewayRef(this, 'gateway', this), namespace);
  }
}

function resolveHosts(scope: Construct, hosts: string[]): string[] {
  if (!Array.isArray(hosts) || hosts.length === 0) {
    throw propError(scope, 'hosts', hosts, 'must be a non-empty list of host names such as ["shop.example.com"]');
  }
  if (hosts.length > MAX_HOSTS) {
    throw propError(scope, 'hosts', `${hosts.length} hosts`, `must list at most ${MAX_HOSTS} hosts: a Gateway has at most 64 listeners (one per host and the HTTP one); use a wildcard host or a second gateway`);
  }
  const resolved = hosts.map((host, i) => checkHostname(scope, `hosts[${i}]`, host));
  const duplicate = resolved.find((host, i) => resolved.indexOf(host) !== i);
  if (duplicate !== undefined) throw propError(scope, 'hosts', hosts, `lists ${JSON.stringify(duplicate)} twice`);
  const tooLong = resolved.find(host => httpsListenerName(host).length > 253);
  if (tooLong !== undefined) throw propError(scope, 'hosts', tooLong, 'must leave room for the listener name "https-<host>" (at most 253 characters)');
  return resolved;
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

function namespacesSpec(allowed: AllowedRoutes): Record<string, unknown> {
  if (allowed === 'Same' || allowed === 'All') return { from: allowed };
  return {
    from: 'Selector',
    selector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...allowed.namespaces] }] },
  };
}
