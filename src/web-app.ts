import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressOptions } from './ingress-options';
import { brandCheck } from './internal/core/brand';
import { checkInteger } from './internal/core/validate';
import { attachRoute } from './internal/gateway/route-attachment';
import { createIngress } from './internal/network/ingress';
import { exposeLoadBalancer, loadBalancerPlainText, resolveLoadBalancer } from './internal/network/load-balancer';
import { wiringProblems } from './internal/output/wiring';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { LoadBalancerOptions } from './load-balancer-options';
import { RouteOptions } from './route-options';
import { ServedWorkload } from './served-workload';
import { DeploymentOptions, WorkloadOptions } from './workload-options';

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

/** What sets a WebApp apart in the steps every workload takes first. */
const WEB_APP: WorkloadKind<WebAppProps> = { propsType: 'WebAppProps', component: 'server', version: 'objects', controllerKind: 'Deployment' };

/**
 * A hardened HTTP workload: a Deployment whose pods meet the Pod Security Standards restricted
 * profile, a Service `<name>` on a named port, its own ServiceAccount without a token, a
 * PodDisruptionBudget when it runs two or more pods, and an Ingress and a ConfigMap when asked.
 */
export class WebApp extends ServedWorkload {
  /** Whether `x` is a WebApp (works across copies of this package). */
  public static readonly isWebApp = brandCheck<WebApp>(WEB_APP_BRAND);

  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Ingress, when `ingress` is given. */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute `<name>`, when `route` is given. */
  public readonly httpRoute?: ApiObject;
  /** The LoadBalancer Service `<name>-external`, when `loadBalancer` is given. */
  public readonly externalService?: ApiObject;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id, WEB_APP_BRAND, self => foundWorkload(self, props, WEB_APP));
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 0);
    const loadBalancer = resolveLoadBalancer(this, props.loadBalancer);

    this.deployment = this._runPods({ replicas, disruptionBudget: props.disruptionBudget });
    this._serve();
    // the load balancer has no sidecar: its port accepts plain text under STRICT mTLS, like the metrics port
    this._monitor({ hasService: true, plainTextPorts: loadBalancerPlainText(loadBalancer, this.port) });
    this.externalService = loadBalancer && exposeLoadBalancer(this, loadBalancer, this._foundation);
    if (props.ingress !== undefined) this.ingress = this.createIngress(props.ingress);
    if (props.route !== undefined) this.httpRoute = attachRoute(this, props.route, this._foundation);
    this._allowApiServer();
    this._guardPods('app');
    this.node.addValidation({
      validate: () => wiringProblems({
        service: this.service, workloads: [this._wired], ingress: this.ingress, httpRoute: this.httpRoute, serviceMonitor: this.serviceMonitor,
      })
        .map(problem => `${this.node.path}: ${problem}`),
    });
  }

  /** The Ingress `<name>` sending its rules to the Service port. */
  private createIngress(options: IngressOptions): ApiObject {
    return createIngress(this, this.name, this._foundation.labels, options, { serviceName: this.name, servicePort: this.servicePort });
  }
}
