/**
 * A Service of type `LoadBalancer` in front of a workload: the cloud provider's load balancer
 * sends outside traffic to the app's port.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
 */
export interface LoadBalancerOptions {
  /**
   * The port the load balancer listens on; it forwards to the app's container port
   * (e.g. 80 → 8080).
   * @default 80
   */
  readonly port?: number;
  /**
   * Client CIDR blocks allowed in (`spec.loadBalancerSourceRanges`, and the `ipBlock`s of the
   * NetworkPolicy that opens the port), e.g. `['203.0.113.0/24']`.
   * @see https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/
   * @default - any address
   */
  readonly sourceRanges?: string[];
  /**
   * Annotations of the Service, for the cloud provider's load balancer controller (e.g.
   * `{ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }`).
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}
