import { Duration } from 'cdk8s';
import { GatewayReference } from './gateway-reference';
import type { HttpGateway } from './http-gateway';
import type { HttpsGateway } from './https-gateway';

/**
 * Expose a workload through a Gateway API Gateway: an `HTTPRoute` attached to the gateway's
 * HTTPS listeners of `hosts`, sending `path` to the workload's Service.
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export interface RouteOptions {
  /**
   * The Gateway: an {@link HttpsGateway} or {@link HttpGateway} of this app (its hosts and allowed
   * namespaces are checked), or `{ name, namespace }` of one made elsewhere.
   */
  readonly gateway: HttpsGateway | HttpGateway | GatewayReference;
  /**
   * Host names the route serves; each must be a host of the gateway (or covered by its
   * `*.<domain>` wildcard host), unless the gateway serves every host.
   * @default - every host: only with a gateway that has an any-host listener (an `HttpGateway`
   * without hosts, or a reference naming its `listener`)
   */
  readonly hosts?: string[];
  /**
   * The path prefix routed to the workload: an absolute path as the API server accepts it (no
   * `//`, `.` or `..` segments, encoded slashes, query or fragment).
   * @default '/'
   */
  readonly path?: string;
  /**
   * Timeout of a whole request (`timeouts.request`), e.g. `'10s'` or `Duration.seconds(10)`.
   * @default - the gateway implementation's default (none for Istio)
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/#timeouts-optional
   */
  readonly timeout?: string | Duration;
}
