import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AppProtocol } from './container-basics';
import { IngressOptions } from './ingress-options';
import { recommendedLabels, selectorLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { checkInteger } from './internal/core/validate';
import { attachRoute } from './internal/gateway/route-attachment';
import { acceptPlainText } from './internal/mesh/plain-text-ports';
import { allowApiServer, resolveApiServer } from './internal/network/api-server-access';
import { createIngress } from './internal/network/ingress';
import { exposeLoadBalancer, loadBalancerPlainText, resolveLoadBalancer } from './internal/network/load-balancer';
import { monitorFields, monitorWorkload } from './internal/observability/workload-metrics';
import { WiredWorkload, wiringProblems } from './internal/output/wiring';
import { validateProps } from './internal/validation/validate-props';
import { checkPinnedImage, imageVersionLabel } from './internal/workload/image';
import { createService } from './internal/workload/service';
import { ResolvedWorkload, resolveWorkloadOptions } from './internal/workload/workload';
import { WorkloadDeployment } from './internal/workload/workload-deployment';
import { createWorkloadSupport } from './internal/workload/workload-support';
import { LoadBalancerOptions } from './load-balancer-options';
import { INetworkPeer } from './network-peer';
import { IObservableWorkload } from './observable-workload';
import { RouteOptions } from './route-options';
import { IScalableWorkload, ResourceRequests, ScaleTargetRef } from './scalable';
import { DeploymentOptions, DisruptionBudgetOptions, WorkloadOptions } from './workload-options';

const WEB_APP_BRAND = Symbol.for('cloudnative-constructs.WebApp');

/**
 * Properties of a {@link WebApp}.
 */
export interface WebAppProps extends WorkloadOptions, DeploymentOptions {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest.
   * @example 'ghcr.io/acme/web:1.4.2'
   */
  readonly image: string;
  /**
   * Number of pods. Ignored in favour of the autoscaler's count once an `Autoscaled` targets
   * the app (the Deployment then omits `spec.replicas`).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Expose the app outside the cluster through an Ingress.
   * @default - no Ingress
   */
  readonly ingress?: IngressOptions;
  /**
   * Expose the app through a Gateway API gateway: an HTTPRoute `<name>` attached to the
   * gateway's HTTPS listeners of `hosts`, sending `path` to the Service port.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   * @default - no HTTPRoute
   */
  readonly route?: RouteOptions;
  /**
   * Expose the app's port outside the cluster through a cloud load balancer: a Service
   * `<name>-external` of type LoadBalancer (`port` → the app's port), and what outside traffic
   * needs to reach that port and nothing else — the NetworkPolicy `<name>-external` from
   * `sourceRanges` (or anywhere), PERMISSIVE mTLS on that port under STRICT (the load balancer has
   * no sidecar), and in an Istio deny-by-default namespace an ALLOW policy for that port.
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
   * @default - no LoadBalancer Service
   */
  readonly loadBalancer?: LoadBalancerOptions;
}

/**
 * A hardened HTTP workload: a Deployment whose pods meet the Pod Security Standards restricted
 * profile, a Service `<name>` on a named port, its own ServiceAccount without a token, a
 * PodDisruptionBudget when it runs two or more pods, and an Ingress and a ConfigMap when asked.
 */
export class WebApp extends Construct implements IScalableWorkload, INetworkPeer, IObservableWorkload {
  /** Whether `x` is a WebApp (works across copies of this package). */
  public static isWebApp(x: unknown): x is WebApp {
    return typeof x === 'object' && x !== null && WEB_APP_BRAND in x;
  }

  /** The name of the Deployment, Service and other objects. */
  public readonly name: string;
  /** The namespace the objects are created in. */
  public readonly namespace: string;
  /** The container port. */
  public readonly port: number;
  /** The port the Service exposes. */
  public readonly servicePort: number;
  /** The container ports the pods listen on (the main port, `ports` and the sidecars'). */
  public readonly containerPorts: readonly number[];
  /** The named container ports: name → number. */
  public readonly portNames: Readonly<Record<string, number>>;
  /** The pinned container image. */
  public readonly image: string;
  /** The container port serving Prometheus metrics, when `metrics` is given. */
  public readonly metricsPort?: number;
  /** The protocol the app speaks on its port. */
  public readonly appProtocol: AppProtocol;
  /** The labels that select the app's pods. */
  public readonly selector: Record<string, string>;
  /** The name of the app's ServiceAccount (its identity for network and mesh policies). */
  public readonly serviceAccountName: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service `<name>`. */
  public readonly service: ApiObject;
  /** The app's own ServiceAccount. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files`, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;
  /** The Ingress, when `ingress` is given. */
  public readonly ingress?: ApiObject;
  /** The ServiceMonitor `<name>`, when `metrics` is given (unless `metrics.service` is false). */
  public readonly serviceMonitor?: ApiObject;
  /** The PodMonitor `<name>`, when `metrics.service` is false. */
  public readonly podMonitor?: ApiObject;
  /** The HTTPRoute `<name>`, when `route` is given. */
  public readonly httpRoute?: ApiObject;
  /** The LoadBalancer Service `<name>-external`, when `loadBalancer` is given. */
  public readonly externalService?: ApiObject;
  /** @see IScalableWorkload.scaleTargetRef */
  public readonly scaleTargetRef: ScaleTargetRef;
  /** Every WebApp container requests cpu and memory. */
  public readonly requestsResources: ResourceRequests = { cpu: true, memory: true };

  private readonly pods: WorkloadDeployment;
  private readonly budgetOptions: false | DisruptionBudgetOptions | undefined;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    Object.defineProperty(this, WEB_APP_BRAND, { value: true });
    validateProps(this, 'WebAppProps', props);

    const workload = resolveWorkloadOptions(this, props);
    claimName(this, 'name', 'Deployment', workload.name);
    const image = checkPinnedImage(this, 'image', props.image);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0);
    const identity = { name: workload.name, instance: workload.name, component: 'server', partOf: workload.partOf, version: imageVersionLabel(image) };

    this.name = workload.name;
    this.namespace = namespaceOf(this);
    this.port = workload.port;
    this.servicePort = workload.servicePort;
    this.containerPorts = workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(workload.ports.map(p => [p.name, p.port]));
    this.metricsPort = workload.metrics?.port;
    this.appProtocol = workload.appProtocol;
    this.image = props.image;
    const labels = recommendedLabels(identity);
    this.selector = selectorLabels(identity);
    this.serviceAccountName = workload.serviceAccountName;
    this.budgetOptions = props.disruptionBudget;

    const { env, resources, serviceAccount, configMap, configMapName, filesConfigMap } = createWorkloadSupport(this, workload, props, labels);
    this.serviceAccount = serviceAccount;
    this.configMap = configMap;
    this.filesConfigMap = filesConfigMap;

    this.pods = new WorkloadDeployment(this, {
      workload,
      name: workload.name,
      image: props.image,
      env,
      resources,
      labels,
      selector: this.selector,
      replicas,
      disruptionBudget: props.disruptionBudget,
      configMapName,
    });
    this.deployment = this.pods.deployment;
    this.service = createService(this, workload, labels, this.selector);
    this.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: workload.name };
    const exposed = this.monitorAndExpose(workload, labels, props.loadBalancer);
    ({ serviceMonitor: this.serviceMonitor, podMonitor: this.podMonitor, externalService: this.externalService } = exposed);
    if (props.ingress !== undefined) {
      this.ingress = createIngress(this, workload.name, labels, props.ingress, { serviceName: workload.name, servicePort: workload.servicePort });
    }
    if (props.route !== undefined) {
      this.httpRoute = attachRoute(this, props.route, {
        name: workload.name,
        namespace: this.namespace,
        labels,
        serviceName: workload.name,
        servicePort: workload.servicePort,
        peer: this,
        containerPort: workload.port,
        appProtocol: workload.appProtocol,
      });
    }
    const apiServer = resolveApiServer(this, props.serviceAccount, workload.automountToken);
    if (apiServer) allowApiServer(this, this, apiServer);
    this.pods.updateDisruptionBudget();
    this.node.addValidation({ validate: () => this.validateBudgetHasPods() });
    this.node.addValidation({
      validate: () => wiringProblems({
        service: this.service, workloads: [this._wired], ingress: this.ingress, httpRoute: this.httpRoute, serviceMonitor: this.serviceMonitor,
      })
        .map(problem => `${this.node.path}: ${problem}`),
    });
  }

  /** The PodDisruptionBudget, present when the app can run two or more pods. */
  public get disruptionBudget(): ApiObject | undefined {
    return this.pods.disruptionBudget;
  }

  /** The autoscaler that owns the replica count, if any. */
  public get autoscaler(): IConstruct | undefined {
    return this.pods.autoscaler;
  }

  /** @internal The Deployment and what the other objects were written against (wiring check). */
  public get _wired(): WiredWorkload {
    return this.pods.wired;
  }

  /** @see IScalableWorkload.attachAutoscaler */
  public attachAutoscaler(autoscaler: IConstruct, minReplicas: number, maxReplicas: number): void {
    this.pods.attachAutoscaler(autoscaler, minReplicas, maxReplicas);
  }

  /**
   * The ServiceMonitor of `metrics` and the LoadBalancer Service of `loadBalancer`, with the one
   * PeerAuthentication their plain-text clients (Prometheus, the load balancer) need under STRICT mTLS.
   */
  private monitorAndExpose(workload: ResolvedWorkload, labels: Record<string, string>, options: LoadBalancerOptions | undefined) {
    const loadBalancer = resolveLoadBalancer(this, options);
    const plainTextPorts = loadBalancerPlainText(loadBalancer, { containerPort: workload.port });
    const target = { name: workload.name, labels, selector: this.selector };
    let monitor: ApiObject | undefined;
    if (workload.metrics) {
      monitor = monitorWorkload(this, { ...target, metrics: workload.metrics, appPort: workload.port, hasService: true, plainTextPorts });
    } else {
      acceptPlainText(this, target, plainTextPorts);
    }
    const externalService = loadBalancer && exposeLoadBalancer(this, loadBalancer, {
      ...target, portName: workload.portName, containerPort: workload.port, appProtocol: workload.appProtocol,
    });
    return { ...monitorFields(monitor), externalService };
  }

  private validateBudgetHasPods(): string[] {
    if (this.budgetOptions && !this.pods.disruptionBudget) {
      return [`${this.node.path}: invalid disruptionBudget ${JSON.stringify(this.budgetOptions)}: the app runs a single replica, and a budget would block node drains; remove it, or raise replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}
