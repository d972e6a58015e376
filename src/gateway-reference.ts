/**
 * A Gateway made elsewhere (another chart, app or repository), named by its namespace and name.
 * Unless `listener` names the listener routes attach to, it is assumed to follow
 * {@link HttpsGateway}'s conventions: an HTTPS listener named `https-<host>`
 * (`https-wildcard.<domain>` for `*.<domain>`, and `https-x-<host>` for a host whose first label
 * is `wildcard`, so that names stay unique) for each host.
 */
export interface GatewayReference {
  /** The Gateway's name. */
  readonly name: string;
  /** The Gateway's namespace. */
  readonly namespace: string;
  /**
   * The Gateway's `gatewayClassName`: Istio runs the gateway's pods as the ServiceAccount
   * `<name>-<className>`, the identity `NetworkPolicyBundle.allowFromGateway` allows in the mesh.
   * @default 'istio'
   */
  readonly className?: string;
  /**
   * The listener (`sectionName`) every route attaches to, e.g. `'http'` for the any-host
   * listener of an {@link HttpGateway} made elsewhere.
   * @default - the HTTPS listener of each of the route's hosts, `https-<host>`
   */
  readonly listener?: string;
}
