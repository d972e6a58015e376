import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowedRoutes, GatewayOptions } from './gateway-options';
import { hasBrand } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { hostListenerName, HTTP_LISTENER, HTTP_PORT } from './internal/gateway/gateway-api';
import { allowedRoutesSpec, configureIstioGatewayPods, createGateway, resolveGatewayHosts, resolveGatewayIdentity } from './internal/gateway/gateway-construct';
import { HTTP_GATEWAY_BRAND } from './internal/gateway/gateway-ref';
import { validateProps } from './internal/validation/validate-props';
import { INetworkPeer } from './network-peer';

/**
 * Properties of an {@link HttpGateway}.
 */
export interface HttpGatewayProps extends GatewayOptions {
  /**
   * The host names served, one HTTP listener each (`http-<host>`; a leading `*.` wildcard is
   * allowed). Without hosts the gateway has one listener `http` that serves every host.
   * @default - any host
   */
  readonly hosts?: string[];
}

/**
 * A plain-HTTP entry point on Gateway API (`gateway.networking.k8s.io/v1`): a `Gateway` listening
 * on port 80, for gateways inside the cluster or behind something that terminates TLS in front
 * (a cloud load balancer, a CDN). Without `hosts` it has one listener `http` for every host, and
 * `route: { gateway }` attaches to it with no host; with `hosts`, one listener `http-<host>` each.
 * Apps attach with their `route` prop, as to an {@link HttpsGateway}; use an `HttpsGateway` when
 * the gateway itself faces the internet.
 *
 * With the default class `istio`, Istio deploys the gateway's pods in the gateway's namespace, as
 * the ServiceAccount `<name>-istio`, labelled `gateway.networking.k8s.io/gateway-name: <name>`;
 * `NetworkPolicyBundle.allowFromGateway` selects them by that label.
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export class HttpGateway extends Construct implements INetworkPeer {
  /** Whether `x` is an HttpGateway (works across copies of this package). */
  public static isHttpGateway(x: unknown): x is HttpGateway {
    return hasBrand(x, HTTP_GATEWAY_BRAND);
  }

  /** The Gateway's name. */
  public readonly name: string;
  /** The Gateway's namespace, where its pods run. */
  public readonly namespace: string;
  /** The GatewayClass. */
  public readonly className: string;
  /** The hosts served; empty when the gateway serves every host. */
  public readonly hosts: readonly string[];
  /** The namespaces whose routes may attach (listed namespaces sorted and without repeats). */
  public readonly allowedRoutes: AllowedRoutes;
  /** Labels of the gateway's pods (as Istio's automated deployment sets them). */
  public readonly selector: Record<string, string>;
  /** The ServiceAccount Istio runs the gateway's pods as, `<name>-<className>`: their mesh identity. */
  public readonly serviceAccountName: string;
  /** The HTTP port, which peers reach. */
  public readonly port = HTTP_PORT;
  /** The port the gateway's pods listen on. */
  public readonly containerPorts: readonly number[] = [HTTP_PORT];
  /** The Gateway. */
  public readonly gateway: ApiObject;
  /** Whether the gateway's pods are Istio proxies (class `istio`): a mesh identity whatever the namespace's injection. */
  public readonly meshProxy: boolean;
  /** The ConfigMap `<name>-gateway-options` of Istio's Gateway customization (class `istio`): the gateway pods' seccomp profile. */
  public readonly parameters?: ApiObject;

  constructor(scope: Construct, id: string, props: HttpGatewayProps = {}) {
    super(scope, id);
    validateProps(this, 'HttpGatewayProps', props);
    Object.defineProperty(this, HTTP_GATEWAY_BRAND, { value: true });
    const identity = resolveGatewayIdentity(this, props);
    ({ name: this.name, namespace: this.namespace, className: this.className, allowedRoutes: this.allowedRoutes } = identity);
    ({ selector: this.selector, serviceAccountName: this.serviceAccountName, meshProxy: this.meshProxy } = identity);
    if (props.hosts !== undefined && (!Array.isArray(props.hosts) || props.hosts.length === 0)) {
      throw propError(this, 'hosts', props.hosts, 'must be a non-empty list of host names such as ["shop.internal"]; leave it out to serve every host');
    }
    this.hosts = resolveGatewayHosts(this, props.hosts ?? [], 'HTTP', 0);
    const listener = (name: string, hostname?: string) => ({ name, hostname, port: HTTP_PORT, protocol: 'HTTP', allowedRoutes: allowedRoutesSpec(this.allowedRoutes) });
    this.gateway = createGateway(this, identity, this.hosts.length === 0
      ? [listener(HTTP_LISTENER)]
      : this.hosts.map(host => listener(hostListenerName('HTTP', host), host)));
    if (this.meshProxy) this.parameters = configureIstioGatewayPods(this, identity, this.gateway);
  }
}
