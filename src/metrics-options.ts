/**
 * Prometheus metrics served by a workload: the named port on its pods (and on its Service when
 * it has one) and the `ServiceMonitor` (or, without a Service, the `PodMonitor`) that tells the
 * Prometheus Operator to scrape it.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
export interface MetricsOptions {
  /**
   * The container port serving the metrics: a number, or the name of a port the workload
   * declares. A number other than the app's port adds a container port (and Service port)
   * named `metrics`; the app's own port number reuses the app's port.
   */
  readonly port: number | string;
  /**
   * The HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes, a Prometheus duration such as `'30s'` or `'1m'`.
   * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Labels of the ServiceMonitor (or PodMonitor), for a Prometheus whose `serviceMonitorSelector`
   * / `podMonitorSelector` requires them: kube-prometheus-stack's Prometheus selects only monitors
   * labelled `release: <its Helm release name>` unless told otherwise. Keys and values are
   * Kubernetes label keys and values; the labels the library writes (`app.kubernetes.io/*`) cannot
   * be overridden.
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusSpec
   * @default - only the library's labels: loaded by a Prometheus that selects every monitor
   */
  readonly labels?: Record<string, string>;
  /**
   * Scrape through the workload's Service (a `ServiceMonitor`), or, with `false`, straight from
   * its pods (a `PodMonitor`), keeping the metrics port off the Service so that clients of the
   * Service never see it. The metrics then need a port of their own (not the app's port, which
   * the Service exposes), declared with `expose: false` when it is named.
   * @default true (a ServiceMonitor, for a workload with a Service)
   */
  readonly service?: boolean;
}
