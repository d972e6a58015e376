import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { checkLabelMap } from '../core/label-check';
import { canonicalQuantity, parseQuantity } from '../core/quantity';
import { checkDnsSubdomain, checkInteger } from '../core/validate';

/** A metric reported per pod (e.g. requests per second), averaged across the pods. */
export interface PodsMetric {
  /** Discriminator: a per-pod metric. */
  readonly type: 'pods';
  /** The metric's name in the custom metrics API. */
  readonly name: string;
  /** Target average value per pod, a quantity (`'100'`, `'500m'`). */
  readonly averageValue: string;
  /**
   * Labels narrowing the metric's series.
   * @default - all series
   */
  readonly selector?: Record<string, string>;
}

/** A metric describing one Kubernetes object (e.g. an Ingress's hits per second). */
export interface ObjectMetric {
  /** Discriminator: a metric of one object. */
  readonly type: 'object';
  /** The metric's name in the custom metrics API. */
  readonly name: string;
  /** The object the metric describes. */
  readonly describedObject: {
    /** API version of the object, e.g. `networking.k8s.io/v1`. */
    readonly apiVersion: string;
    /** Kind of the object, e.g. `Ingress`. */
    readonly kind: string;
    /** Name of the object, in the autoscaler's namespace. */
    readonly name: string;
  };
  /**
   * Target value of the metric.
   * @default - `averageValue` must be given
   */
  readonly value?: string;
  /**
   * Target value divided by the number of pods.
   * @default - `value` must be given
   */
  readonly averageValue?: string;
}

/** A metric from outside the cluster (e.g. a queue length), from the external metrics API. */
export interface ExternalMetric {
  /** Discriminator: an external metric. */
  readonly type: 'external';
  /** The metric's name in the external metrics API. */
  readonly name: string;
  /**
   * Labels narrowing the metric's series.
   * @default - all series
   */
  readonly selector?: Record<string, string>;
  /**
   * Target value of the metric.
   * @default - `averageValue` must be given
   */
  readonly value?: string;
  /**
   * Target value divided by the number of pods.
   * @default - `value` must be given
   */
  readonly averageValue?: string;
}

/** A custom autoscaling metric. */
export type ScalingMetric = PodsMetric | ObjectMetric | ExternalMetric;

/** The utilisation and custom metric props of an autoscaler. */
export interface MetricProps {
  readonly cpuUtilization?: number;
  readonly memoryUtilization?: number;
  readonly metrics?: ScalingMetric[];
}

/**
 * Builds `spec.metrics`: cpu at 70 % when no metric is given; utilisation only on a target
 * that requests the resource on every container.
 */
export function resolveMetrics(scope: IConstruct, props: MetricProps, requests: { cpu: boolean; memory: boolean },
  targetPath: string): Array<Record<string, unknown>> {
  const custom = props.metrics ?? [];
  if (!Array.isArray(custom)) throw propError(scope, 'metrics', custom, 'must be a list of pods, object or external metrics');
  const cpu = props.cpuUtilization ?? (props.memoryUtilization === undefined && custom.length === 0 ? 70 : undefined);
  const result: Array<Record<string, unknown>> = [];
  for (const [resource, utilization] of [['cpu', cpu], ['memory', props.memoryUtilization]] as const) {
    if (utilization === undefined) continue;
    const prop = `${resource}Utilization`;
    checkInteger(scope, prop, utilization, 1);
    if (!requests[resource]) {
      throw propError(scope, prop, utilization, `utilisation is a percentage of the ${resource} request, but the target ${targetPath} does not request ${resource} on every container; set its ${resource} request`);
    }
    result.push({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: utilization } } });
  }
  custom.forEach((metric, index) => result.push(resolveCustomMetric(scope, `metrics[${index}]`, metric)));
  return result;
}

function resolveCustomMetric(scope: IConstruct, prop: string, metric: ScalingMetric): Record<string, unknown> {
  const name = metric?.name;
  if (typeof name !== 'string' || name === '') throw propError(scope, `${prop}.name`, name, 'must be the non-empty name of the metric');
  switch (metric.type) {
    case 'pods':
      return {
        type: 'Pods',
        pods: { metric: metricIdentifier(scope, prop, name, metric.selector), target: { type: 'AverageValue', averageValue: checkMetricQuantity(scope, `${prop}.averageValue`, metric.averageValue) } },
      };
    case 'object':
      checkDescribedObject(scope, `${prop}.describedObject`, metric.describedObject);
      return {
        type: 'Object',
        object: { metric: { name }, describedObject: { ...metric.describedObject }, target: valueTarget(scope, prop, metric) },
      };
    case 'external':
      return {
        type: 'External',
        external: { metric: metricIdentifier(scope, prop, name, metric.selector), target: valueTarget(scope, prop, metric) },
      };
    default:
      throw propError(scope, `${prop}.type`, (metric as { type?: unknown })?.type, 'must be "pods", "object" or "external"');
  }
}

const KIND = /^[A-Z][A-Za-z0-9]*$/;
const API_VERSION = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;

/** The object a metric describes: a Kind (`Ingress`), an apiVersion (`networking.k8s.io/v1`) and an object name. */
function checkDescribedObject(scope: IConstruct, prop: string, object: ObjectMetric['describedObject']): void {
  if (!KIND.test(object.kind)) throw propError(scope, `${prop}.kind`, object.kind, 'must be a Kubernetes kind such as "Ingress" or "Service"');
  if (!API_VERSION.test(object.apiVersion)) throw propError(scope, `${prop}.apiVersion`, object.apiVersion, 'must be an API version such as "v1" or "networking.k8s.io/v1"');
  checkDnsSubdomain(scope, `${prop}.name`, object.name);
}

/** The metric's name and label selector (`matchLabels`: keys and values must be labels, as the API server checks). */
function metricIdentifier(scope: IConstruct, prop: string, name: string, selector: Record<string, string> | undefined): Record<string, unknown> {
  const matchLabels = checkLabelMap(scope, `${prop}.selector`, selector, '{ queue: "orders" }');
  return matchLabels ? { name, selector: { matchLabels } } : { name };
}

function valueTarget(scope: IConstruct, prop: string, metric: { value?: string; averageValue?: string }): Record<string, string> {
  if ((metric.value === undefined) === (metric.averageValue === undefined)) {
    throw propError(scope, prop, metric, 'give exactly one of `value` and `averageValue`');
  }
  return metric.value !== undefined
    ? { type: 'Value', value: checkMetricQuantity(scope, `${prop}.value`, metric.value) }
    : { type: 'AverageValue', averageValue: checkMetricQuantity(scope, `${prop}.averageValue`, metric.averageValue!) };
}

/** A positive quantity, in the canonical form the API server stores. */
function checkMetricQuantity(scope: IConstruct, prop: string, value: string): string {
  const parsed = parseQuantity(value);
  if (parsed === undefined || parsed <= 0) throw propError(scope, prop, value, 'must be a positive Kubernetes quantity such as "100" or "500m"');
  return canonicalQuantity(value)!;
}
