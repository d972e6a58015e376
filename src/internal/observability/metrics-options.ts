import { IConstruct } from 'constructs';
import { resolveExtraLabels } from './extra-labels';
import { checkPromDuration } from './prom-duration';
import { MetricsOptions } from '../../metrics-options';
import { propError } from '../core/errors';
import { checkHttpPath, checkPort } from '../core/validate';
import { PodPorts, ResolvedPort } from '../workload/ports';

/** The name of the port a workload's metrics get when they are served on a port of their own. */
export const METRICS_PORT_NAME = 'metrics';

/** The `metrics` option after validation, with every default applied. */
export interface ResolvedMetrics {
  /** The container port serving the metrics. */
  readonly port: number;
  /** The name of that port on the pods (and the Service): the monitor scrapes it by name. */
  readonly portName: string;
  /** Whether the port was added for the metrics (named `metrics`); false when it is declared already. */
  readonly addsPort: boolean;
  /** Whether the workload's Service exposes the port (a ServiceMonitor scrapes only those). */
  readonly exposed: boolean;
  /** `metrics.service` as given: false scrapes the pods, keeping the port off the Service. */
  readonly viaService?: boolean;
  readonly path: string;
  readonly interval: string;
  /** Extra labels of the monitor (`metrics.labels`). */
  readonly labels: Record<string, string>;
}

/**
 * Validates `metrics` against the ports of the pod: a name must be one of them (the main
 * container's, `ports`, or a sidecar's); a number reuses the port of that number, or adds a port
 * `metrics` to `container` (exposed on the Service). `servicePort` is the main port's Service
 * port, which the added port must not take.
 */
export function resolveMetrics(scope: IConstruct, metrics: MetricsOptions | undefined, ports: PodPorts, container: string,
  servicePort: number): ResolvedMetrics | undefined {
  if (metrics === undefined) return undefined;
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    throw propError(scope, 'metrics', metrics, 'must be an object such as { port: 9090, path: "/metrics", interval: "30s" }');
  }
  const path = checkHttpPath(scope, 'metrics.path', metrics.path ?? '/metrics');
  const interval = checkPromDuration(scope, 'metrics.interval', metrics.interval ?? '30s', 1000);
  const labels = resolveExtraLabels(scope, 'metrics.labels', metrics.labels);
  const viaService = metrics.service;
  const onService = viaService !== false;
  const declared = ports.all;
  const reuse = (named: ResolvedPort): ResolvedMetrics => {
    if (!onService && named.expose) {
      throw propError(scope, 'metrics.service', false, `the metrics port "${named.name}" (${named.port}) is on the Service${named.port === declared[0]?.port ? ' (it is the app\'s port)' : ''}; serve the metrics on a port of their own, declared with expose: false (or as a number, which metrics.service: false adds off the Service)`);
    }
    return { port: named.port, portName: named.name, addsPort: false, exposed: named.expose, viaService, path, interval, labels };
  };
  if (typeof metrics.port === 'string') {
    const named = declared.find(p => p.name === metrics.port);
    if (!named) {
      throw propError(scope, 'metrics.port', metrics.port, `must be a port number or the name of a declared port: ${declared.map(p => `"${p.name}" (${p.port})`).join(', ')}`);
    }
    return reuse(named);
  }
  const port = checkPort(scope, 'metrics.port', metrics.port);
  const same = declared.find(p => p.port === port);
  if (same) return reuse(same);
  const clash = declared.find(p => p.name === METRICS_PORT_NAME);
  if (clash) {
    throw propError(scope, 'metrics.port', port, `the port name "${METRICS_PORT_NAME}" is already declared for port ${clash.port}; give metrics.port: "${METRICS_PORT_NAME}" to scrape that port, or rename it`);
  }
  if (onService && port === servicePort) {
    throw propError(scope, 'metrics.port', port, `the Service already exposes port ${servicePort} (servicePort, forwarding to ${declared[0].port}), and the metrics port is exposed on the Service under its own number; choose another metrics port, or metrics.port: ${declared[0].port} to serve metrics on the app's port`);
  }
  ports.addList('metrics', [{ name: METRICS_PORT_NAME, port, appProtocol: 'http', expose: onService }], container);
  return { port, portName: METRICS_PORT_NAME, addsPort: true, exposed: onService, viaService, path, interval, labels };
}
