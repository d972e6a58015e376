/**
 * Where the namespace's pods resolve names, for the DNS egress allowance (`allow-dns`). The
 * defaults fit CoreDNS as most distributions install it; OpenShift runs its DNS in
 * `openshift-dns` on port 5353 (`{ namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, ports: [5353] }`),
 * and NodeLocal DNSCache answers on a link-local address of the node (add `cidrs: ['169.254.20.10/32']`).
 * @see https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/
 */
export interface DnsOptions {
  /**
   * Namespace of the DNS pods.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Labels of the DNS pods (CoreDNS keeps the historical kube-dns label).
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Ports the DNS pods answer on (UDP and TCP each); NetworkPolicies see the pods' port, not the
   * Service's.
   * @default [53]
   */
  readonly ports?: readonly number[];
  /**
   * Extra addresses DNS is answered on outside any pod, e.g. NodeLocal DNSCache's
   * `169.254.20.10/32`.
   * @default - none
   */
  readonly cidrs?: readonly string[];
}
