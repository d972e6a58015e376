/**
 * The namespaces whose routes may attach to a gateway's listeners: `'Same'` (the gateway's own),
 * `'All'`, or the listed ones (selected by their `kubernetes.io/metadata.name` label).
 */
export type AllowedRoutes = 'Same' | 'All' | {
  /** The namespaces whose routes may attach. */
  readonly namespaces: readonly string[];
};

/**
 * What every Gateway API gateway of this library ({@link HttpsGateway}, {@link HttpGateway}) takes.
 */
export interface GatewayOptions {
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
  /**
   * The namespaces whose HTTPRoutes may attach to the listeners that serve routes.
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
