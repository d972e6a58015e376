/**
 * TLS for an Ingress: the Secret holding the certificate, and optionally the cert-manager
 * ClusterIssuer that fills it.
 */
export interface IngressTlsOptions {
  /**
   * The Secret holding the certificate.
   * @default - `<name>-tls`
   */
  readonly secretName?: string;
  /**
   * A cert-manager ClusterIssuer that issues the certificate into the Secret
   * (annotation `cert-manager.io/cluster-issuer`).
   * @see https://cert-manager.io/docs/usage/ingress/
   * @default - no annotation: the Secret is provided otherwise
   */
  readonly clusterIssuer?: string;
}

/**
 * Expose the app through an Ingress.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export interface IngressOptions {
  /** The host name, without scheme, port or path (e.g. `shop.example.com`). */
  readonly host: string;
  /**
   * The path prefix routed to the app: an absolute path as the API server accepts it (no
   * `//`, `.` or `..` segments, encoded slashes, query or fragment).
   * @default '/'
   */
  readonly path?: string;
  /**
   * The IngressClass that serves the Ingress (`spec.ingressClassName`).
   * @default - the cluster's default IngressClass
   */
  readonly className?: string;
  /**
   * Serve HTTPS: `true` uses the Secret `<name>-tls`; options choose the Secret or a
   * cert-manager ClusterIssuer.
   * @default false
   */
  readonly tls?: boolean | IngressTlsOptions;
}
