import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CanaryGatewayOptions, CanaryMatch, CanaryRetryOptions, CanaryTrack, CircuitBreakerOptions, FaultInjectionOptions, MirrorOptions,
} from './canary-release-options';
import { CanaryReleaseTrack } from './canary-release-track';
import { HardenedWorkload } from './hardened-workload';
import { buildGatewaySpec, resolveGatewayHosts, resolveGatewayPods } from './internal/canary/canary-gateway';
import { buildCanaryHttpRoute, CanaryHttpRoute, resolveRoutingMode } from './internal/canary/canary-http-route';
import { buildCanaryRoutes, CANARY_SUBSET, checkCanaryWeight, STABLE_SUBSET } from './internal/canary/canary-routing';
import { LABEL_TRACK, resolveTrack, scaleToZeroAfterRouting } from './internal/canary/canary-track';
import { resolveCircuitBreaker } from './internal/canary/canary-traffic-policy';
import { brandCheck } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { claimName } from './internal/core/name-registry';
import { gatewayKey } from './internal/gateway/gateway-ref';
import { claimGatewayListeners } from './internal/gateway/listener-registry';
import { createHttpRoute } from './internal/gateway/route-attachment';
import { registerRoutedWorkload } from './internal/gateway/route-registry';
import { allowFromGatewayPods } from './internal/network/gateway-allowance';
import { wiringProblems } from './internal/output/wiring';
import { createService } from './internal/workload/service';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { createDestinationRule, IstioTrafficPolicy } from './istio/destination-rule';
import { createGateway, GatewaySpec } from './istio/gateway';
import { createVirtualService, IstioHttpRoute } from './istio/virtual-service';
import { IObservableWorkload } from './observable-workload';
import { RouteOptions } from './route-options';
import { DeploymentOptions, WorkloadOptions } from './workload-options';

const CANARY_RELEASE_BRAND = Symbol.for('cloudnative-constructs.CanaryRelease');

/** What sets a CanaryRelease apart in the steps every workload takes first: one image per track, so no version label. */
const CANARY_RELEASE: WorkloadKind<CanaryReleaseProps> = {
  propsType: 'CanaryReleaseProps',
  component: 'server',
  version: 'none',
  // `<name>-canary` must stay a valid label value (63 characters): HPAs label themselves with it
  maxName: { length: 56, why: name => `, so that "${name}-canary" stays a valid label value` },
};
/** How a {@link CanaryRelease} splits its traffic: Istio's VirtualService, or a Gateway API HTTPRoute. */
export type CanaryRouting = 'istio' | 'gateway-api';

/**
 * Properties of a {@link CanaryRelease}: the options shared with `WebApp` (`port`, `env`,
 * `resources`, `probes`…) apply to both tracks.
 */
export interface CanaryReleaseProps extends WorkloadOptions, DeploymentOptions {
  /** The version serving most traffic. */
  readonly stable: CanaryTrack;
  /** The new version, receiving `canaryWeight` percent of the traffic. */
  readonly canary: CanaryTrack;
  /**
   * Percentage of requests routed to the canary, an integer 0–100: 0 sends everything to the
   * stable track, 100 promotes the canary. Promote or roll back by changing this number.
   */
  readonly canaryWeight: number;
  /**
   * Expose the release outside the mesh through an Istio Gateway (HTTPS, HTTP redirected).
   * @default - reachable inside the mesh only
   */
  readonly gateway?: CanaryGatewayOptions;
  /**
   * Requests that always reach the canary, whatever `canaryWeight` is.
   * @default - only the weighted split
   */
  readonly match?: CanaryMatch;
  /**
   * Retry policy of every route.
   * @default - Istio's default retry policy
   * @see https://istio.io/latest/docs/concepts/traffic-management/#retries
   */
  readonly retries?: CanaryRetryOptions;
  /**
   * Timeout of a request, e.g. `'5s'` or `Duration.seconds(5)`.
   * @default - no timeout (Istio's default)
   * @see https://istio.io/latest/docs/concepts/traffic-management/#timeouts
   */
  readonly timeout?: string | Duration;
  /**
   * Connection limits and ejection of failing pods (DestinationRule `connectionPool` and
   * `outlierDetection`).
   * @default - no limits, no outlier detection
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /**
   * Faults injected into every route (cannot be combined with `retries` or `timeout`).
   * @default - none
   */
  readonly faultInjection?: FaultInjectionOptions;
  /**
   * Shadow a percentage of the stable track's requests to the canary (requires
   * `canaryWeight: 0`).
   * @default - no mirroring
   */
  readonly mirror?: MirrorOptions;
  /**
   * How the traffic is split. `'istio'`: a VirtualService and a DestinationRule with a subset per
   * track, in the mesh and at an Istio `gateway`. `'gateway-api'`: Services `<name>-stable` and
   * `<name>-canary` beside `<name>`, and one HTTPRoute attached to a Gateway API gateway through
   * `route`, splitting by backend weights (then `retries`, `circuitBreaker`, `faultInjection` and
   * `gateway` are rejected: Gateway API's standard channel cannot express them). The split applies
   * to requests through the gateway; in-mesh callers of `<name>` reach both tracks by pod count.
   * @default 'istio'
   */
  readonly routing?: CanaryRouting;
  /**
   * With `routing: 'gateway-api'` (required then): the gateway, hosts and path prefix of the
   * HTTPRoute `<name>`; its `timeout` is the request timeout (or give the top-level `timeout`).
   * @default - none; only with routing 'gateway-api'
   */
  readonly route?: RouteOptions;
}

/**
 * A stable and a canary version behind one Service name, traffic split by Istio: two hardened
 * Deployments `<name>-stable` and `<name>-canary` (built like a `WebApp`'s), the Service
 * `<name>` selecting both, a DestinationRule with a subset per track (selected by track, not by
 * version, so a subset keeps ready pods while a new version rolls out), a VirtualService routing
 * `100 - canaryWeight` / `canaryWeight`, and a Gateway when asked.
 *
 * Writes `networking.istio.io/v1beta1` (see `ISTIO_NETWORKING_API_VERSION`); the fields it uses
 * need Istio 1.9 or later. Pods carry `app.kubernetes.io/name` and `app.kubernetes.io/version`,
 * which Istio reads as the canonical service and revision for telemetry.
 */
export class CanaryRelease extends HardenedWorkload implements IObservableWorkload {
  /** Whether `x` is a CanaryRelease (works across copies of this package). */
  public static readonly isCanaryRelease = brandCheck<CanaryRelease>(CANARY_RELEASE_BRAND);

  /** The container port. */
  public declare readonly port: number;
  /** The port the Service exposes. */
  public readonly servicePort: number;
  /** Percentage of requests routed to the canary. */
  public readonly canaryWeight: number;
  /** The stable track. */
  public readonly stable: CanaryReleaseTrack;
  /** The canary track. */
  public readonly canary: CanaryReleaseTrack;
  /** The ClusterIP Service `<name>` selecting both tracks. */
  public readonly service: ApiObject;
  /** How the traffic is split. */
  public readonly routing: CanaryRouting;
  /** The DestinationRule `<name>` with the `stable` and `canary` subsets (routing 'istio'). */
  public readonly destinationRule?: ApiObject;
  /** The VirtualService `<name>` splitting the traffic (routing 'istio'). */
  public readonly virtualService?: ApiObject;
  /** The Service `<name>-stable` selecting the stable track's pods (routing 'gateway-api'). */
  public readonly stableService?: ApiObject;
  /** The Service `<name>-canary` selecting the canary track's pods (routing 'gateway-api'). */
  public readonly canaryService?: ApiObject;
  /** The HTTPRoute `<name>` splitting the traffic by backend weights (routing 'gateway-api'). */
  public readonly httpRoute?: ApiObject;
  /** The Gateway `<name>`, when `gateway` is given. */
  public readonly gateway?: ApiObject;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id, CANARY_RELEASE_BRAND, self => foundWorkload(self, props, CANARY_RELEASE));
    const { workload, labels } = this._foundation;
    if (workload.appProtocol === 'tcp') {
      throw propError(this, 'appProtocol', workload.appProtocol, 'must be "http", "http2" or "grpc": Istio splits and matches traffic per request, which plain TCP does not have');
    }
    this.servicePort = workload.servicePort;
    this.canaryWeight = checkCanaryWeight(this, props.canaryWeight);
    this.routing = resolveRoutingMode(this, props);
    const shared = {
      release: this._foundation, env: props.env, secretEnv: props.secretEnv, resources: props.resources, disruptionBudget: props.disruptionBudget,
    };
    const stableInput = resolveTrack(this, 'stable', props.stable, shared);
    const canaryInput = resolveTrack(this, 'canary', props.canary, shared);
    const traffic = this.planTraffic(props);

    this.stable = new CanaryReleaseTrack(this, 'stable', stableInput);
    this.canary = new CanaryReleaseTrack(this, 'canary', canaryInput);
    this.service = createService(this, workload, labels, this.selector);
    this._monitor({ hasService: true, trackPodLabel: LABEL_TRACK });
    ({
      stableService: this.stableService, canaryService: this.canaryService, httpRoute: this.httpRoute,
      destinationRule: this.destinationRule, gateway: this.gateway, virtualService: this.virtualService,
    } = traffic.httpRoute ? this.createTrackRouting(traffic.httpRoute) : this.createIstioRouting(traffic));
    // The Istio ingress gateway must reach the release wherever its namespace shuts it out.
    if (this.gateway && props.gateway) allowFromGatewayPods(this, this, resolveGatewayPods(this, props.gateway, traffic.gatewaySpec!.selector));
    this._allowApiServer();
    this.stable._updateDisruptionBudget();
    this.canary._updateDisruptionBudget();
    this.addValidations(props);
  }

  /** The validated traffic split: the HTTPRoute's rules (routing 'gateway-api'), or the Istio routes, policy and gateway. */
  private planTraffic(props: CanaryReleaseProps): TrafficPlan {
    const { workload, namespace } = this._foundation;
    const httpRoute = this.routing === 'gateway-api' ? buildCanaryHttpRoute(this, {
      namespace,
      stableService: `${workload.name}-stable`,
      canaryService: `${workload.name}-canary`,
      servicePort: workload.servicePort,
      canaryWeight: this.canaryWeight,
      route: props.route!,
      match: props.match,
      timeout: props.timeout,
      mirror: props.mirror,
    }) : undefined;
    const routes = httpRoute ? [] : buildCanaryRoutes(this, {
      host: workload.name,
      canaryWeight: this.canaryWeight,
      match: props.match,
      retries: props.retries,
      timeout: props.timeout,
      faultInjection: props.faultInjection,
      mirror: props.mirror,
    });
    const trafficPolicy = props.circuitBreaker === undefined ? undefined : resolveCircuitBreaker(this, props.circuitBreaker);
    const gatewayHosts = props.gateway === undefined ? undefined : resolveGatewayHosts(this, props.gateway);
    const gatewaySpec = props.gateway === undefined ? undefined : buildGatewaySpec(this, workload.name, gatewayHosts!, props.gateway);
    return { httpRoute, routes, trafficPolicy, gatewayHosts, gatewaySpec };
  }

  /** Routing 'gateway-api': a Service per track and the HTTPRoute `<name>` weighing them. */
  private createTrackRouting(input: CanaryHttpRoute): TrafficObjects {
    const { workload, labels, namespace } = this._foundation;
    const stableService = createService(this.stable, { ...workload, name: `${workload.name}-stable` }, labels, this.stable.selector);
    const canaryService = createService(this.canary, { ...workload, name: `${workload.name}-canary` }, labels, this.canary.selector);
    const httpRoute = createHttpRoute(this, { name: this.name, namespace, labels, route: input.route, rules: input.rules });
    registerRoutedWorkload(this, gatewayKey(input.route.gateway), { peer: this, port: workload.port });
    return { stableService, canaryService, httpRoute };
  }

  /** Routing 'istio': the DestinationRule with a subset per track, the Gateway when asked, and the VirtualService. */
  private createIstioRouting({ routes, trafficPolicy, gatewayHosts, gatewaySpec }: TrafficPlan): TrafficObjects {
    const { name, labels } = this._foundation;
    claimName(this, 'name', 'DestinationRule', name);
    const destinationRule = createDestinationRule(this, 'DestinationRule', {
      name,
      labels,
      spec: {
        host: name,
        trafficPolicy,
        subsets: [
          { name: STABLE_SUBSET, labels: subsetLabels(this.stable) },
          { name: CANARY_SUBSET, labels: subsetLabels(this.canary) },
        ],
      },
    });
    let gateway: ApiObject | undefined;
    if (gatewaySpec) {
      claimName(this, 'name', 'Gateway', name);
      claimGatewayListeners(this, 'gateway.hosts', gatewaySpec.selector, gatewaySpec.servers);
      gateway = createGateway(this, 'Gateway', { name, labels, spec: gatewaySpec });
    }
    claimName(this, 'name', 'VirtualService', name);
    const virtualService = createVirtualService(this, 'VirtualService', {
      name,
      labels,
      spec: {
        hosts: [name, ...(gatewayHosts ?? [])],
        gateways: gateway ? [name, 'mesh'] : undefined,
        http: routes,
      },
    });
    return { destinationRule, virtualService, gateway };
  }

  /** Checks at synthesis: tracks that get traffic run pods, a budget has pods, the objects are wired. */
  private addValidations(props: CanaryReleaseProps): void {
    for (const track of [this.stable, this.canary]) this.node.addValidation(scaleToZeroAfterRouting(track));
    this.node.addValidation({ validate: () => [...this.validateTracksServeTraffic(props), ...this.validateBudgetHasPods(props.disruptionBudget)] });
    this.node.addValidation({
      validate: () => [
        ...wiringProblems({
          service: this.service,
          workloads: [this.stable._wired, this.canary._wired],
          destinationRule: this.destinationRule,
          virtualService: this.virtualService,
          httpRoute: this.httpRoute,
          routeServices: this.stableService && this.canaryService ? [this.stableService, this.canaryService] : undefined,
          serviceMonitor: this.serviceMonitor,
        }),
        ...(this.stableService ? wiringProblems({ service: this.stableService, workloads: [this.stable._wired] }) : []),
        ...(this.canaryService ? wiringProblems({ service: this.canaryService, workloads: [this.canary._wired] }) : []),
      ].map(problem => `${this.node.path}: ${problem}`),
    });
  }

  /** A track that receives requests must be able to run a pod. */
  private validateTracksServeTraffic(props: CanaryReleaseProps): string[] {
    const errors: string[] = [];
    const stableServes = this.canaryWeight < 100;
    const canaryServes = this.canaryWeight > 0 || props.match !== undefined || props.mirror !== undefined;
    for (const [track, serves] of [[this.stable, stableServes], [this.canary, canaryServes]] as const) {
      if (serves && track.maxReplicas === 0) {
        errors.push(`${this.node.path}: invalid ${track.track}.replicas 0: the ${track.track} track receives traffic (canaryWeight ${this.canaryWeight}${track.track === 'canary' && this.canaryWeight === 0 ? ', match or mirror' : ''}) but runs no pod, so those requests fail with 503; give it replicas or stop routing to it`);
      }
    }
    return errors;
  }

  private validateBudgetHasPods(options: CanaryReleaseProps['disruptionBudget']): string[] {
    if (options && !this.stable.disruptionBudget && !this.canary.disruptionBudget) {
      return [`${this.node.path}: invalid disruptionBudget ${JSON.stringify(options)}: both tracks run a single replica, and a budget would block node drains; remove it, or raise a track's replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}

/** The validated traffic split of a release, before its objects exist. */
interface TrafficPlan {
  /** The HTTPRoute's route and rules (routing 'gateway-api'). */
  readonly httpRoute?: CanaryHttpRoute;
  /** The VirtualService's routes (routing 'istio'). */
  readonly routes: IstioHttpRoute[];
  readonly trafficPolicy?: IstioTrafficPolicy;
  readonly gatewayHosts?: string[];
  readonly gatewaySpec?: GatewaySpec;
}

/** The objects that split a release's traffic, of either routing. */
interface TrafficObjects {
  readonly stableService?: ApiObject;
  readonly canaryService?: ApiObject;
  readonly httpRoute?: ApiObject;
  readonly destinationRule?: ApiObject;
  readonly virtualService?: ApiObject;
  readonly gateway?: ApiObject;
}

/**
 * A subset selects its track's pods exactly as the track's Deployment does: by track, never by
 * version. A version label would leave the subset without pods while a new version rolls out
 * (sync wave 0) and before the DestinationRule follows it (wave 1): 503 "no healthy upstream".
 */
function subsetLabels(track: CanaryReleaseTrack): Record<string, string> {
  return track.selector;
}
