import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowedRoutes, GatewayOptions } from './gateway-options';
import { hasBrand } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { claimName } from './internal/core/name-registry';
import { checkDnsSubdomain, checkOptionalObject } from './internal/core/validate';
import { createGatewayApiObject, GATEWAY_API_GROUP, hostListenerName, HTTP_LISTENER, HTTP_PORT, HTTPS_PORT } from './internal/gateway/gateway-api';
import { allowedRoutesSpec, configureIstioGatewayPods, createGateway, resolveGatewayHosts, resolveGatewayIdentity } from './internal/gateway/gateway-construct';
import { allowsRoutesFrom, HTTPS_GATEWAY_BRAND, listenerFor, resolveGatewayRef } from './internal/gateway/gateway-ref';
import { validateProps } from './internal/validation/validate-props';
import { INetworkPeer } from './network-peer';

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
 * Properties of an {@link HttpsGateway}.
 */
export interface HttpsGatewayProps extends GatewayOptions {
  /** The host names served over HTTPS, one listener each (a leading `*.` wildcard is allowed). */
  readonly hosts: string[];
  /**
   * The certificate: the Secret holding it, and optionally the cert-manager ClusterIssuer that fills it.
   * @default { secretName: '<name>-tls' }
   */
  readonly tls?: HttpsGatewayTls;
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
    return hasBrand(x, HTTPS_GATEWAY_BRAND);
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
    const identity = resolveGatewayIdentity(this, props);
    ({ name: this.name, namespace: this.namespace, className: this.className, allowedRoutes: this.allowedRoutes } = identity);
    ({ selector: this.selector, serviceAccountName: this.serviceAccountName, meshProxy: this.meshProxy } = identity);
    if (!Array.isArray(props.hosts) || props.hosts.length === 0) {
      throw propError(this, 'hosts', props.hosts, 'must be a non-empty list of host names such as ["shop.example.com"]');
    }
    this.hosts = resolveGatewayHosts(this, props.hosts, 'HTTPS', 1);
    checkOptionalObject(this, 'tls', props.tls, '{ clusterIssuer: "letsencrypt-prod" }');
    this.secretName = checkDnsSubdomain(this, 'tls.secretName', props.tls?.secretName ?? `${this.name}-tls`);
    const issuer = props.tls?.clusterIssuer === undefined ? undefined : checkDnsSubdomain(this, 'tls.clusterIssuer', props.tls.clusterIssuer);

    this.gateway = createGateway(this, identity, [
      { name: HTTP_LISTENER, port: HTTP_PORT, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      ...this.hosts.map(hostname => ({
        name: hostListenerName('HTTPS', hostname),
        hostname,
        port: HTTPS_PORT,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: this.secretName }] },
        allowedRoutes: allowedRoutesSpec(this.allowedRoutes),
      })),
    ], issuer === undefined ? undefined : { 'cert-manager.io/cluster-issuer': issuer });

    const redirectName = `${this.name}-https-redirect`;
    claimName(this, 'name', 'HTTPRoute', redirectName, this.namespace);
    this.redirectRoute = createGatewayApiObject(this, 'RedirectRoute', {
      kind: 'HTTPRoute',
      name: redirectName,
      namespace: identity.writtenNamespace,
      labels: recommendedLabels({ name: this.name, instance: redirectName, component: 'gateway', partOf: this.namespace }),
      spec: {
        parentRefs: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: this.name, sectionName: HTTP_LISTENER }],
        hostnames: [...this.hosts],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
    if (this.meshProxy) this.parameters = configureIstioGatewayPods(this, identity, this.gateway);
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
