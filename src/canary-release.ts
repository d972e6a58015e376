import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CanaryGatewayOptions, CanaryMatch, CanaryRetryOptions, CanaryTrack, CircuitBreakerOptions, FaultInjectionOptions, MirrorOptions,
} from './canary-release-options';
import { CanaryReleaseTrack } from './canary-release-track';
import { AppProtocol } from './container-basics';
import { buildGatewaySpec, resolveGatewayHosts, resolveGatewayPods } from './internal/canary/canary-gateway';
import { buildCanaryHttpRoute, CanaryHttpRoute, resolveRoutingMode } from './internal/canary/canary-http-route';
import { buildCanaryRoutes, CANARY_SUBSET, checkCanaryWeight, STABLE_SUBSET } from './internal/canary/canary-routing';
import { resolveTrack, scaleToZeroAfterRouting, SharedTrackOptions } from './internal/canary/canary-track';
import { resolveCircuitBreaker } from './internal/canary/canary-traffic-policy';
import { monitorTrackedRelease } from './internal/canary/track-monitor';
import { propError } from './internal/core/errors';
import { recommendedLabels, selectorLabels } from './internal/core/labels';
import { claimName, namespaceOf } from './internal/core/name-registry';
import { gatewayKey } from './internal/gateway/gateway-ref';
import { claimGatewayListeners } from './internal/gateway/listener-registry';
import { createHttpRoute } from './internal/gateway/route-attachment';
import { registerRoutedWorkload } from './internal/gateway/route-registry';
import { allowApiServer, resolveApiServer } from './internal/network/api-server-access';
import { allowFromGatewayPods } from './internal/network/gateway-allowance';
import { wiringProblems } from './internal/output/wiring';
import { validateProps } from './internal/validation/validate-props';
import { createService } from './internal/workload/service';
import { resolveWorkloadOptions } from './internal/workload/workload';
import { createWorkloadSupport } from './internal/workload/workload-support';
import { createDestinationRule, IstioTrafficPolicy } from './istio/destination-rule';
import { createGateway, GatewaySpec } from './istio/gateway';
import { createVirtualService, IstioHttpRoute } from './istio/virtual-service';
import { INetworkPeer } from './network-peer';
import { IObservableWorkload } from './observable-workload';
import { RouteOptions } from './route-options';
import { DeploymentOptions, DisruptionBudgetOptions, WorkloadOptions } from './workload-options';

const CANARY_RELEASE_BRAND = Symbol.for('cloudnative-constructs.CanaryRelease');
/** How a {@link CanaryRelease} splits its traffic: Istio's VirtualService, or a Gateway API HTTPRoute. */
export type CanaryRouting = 'istio' | 'gateway-api';

/** `<name>-canary` must stay a valid label value (63 characters): HPAs label themselves with it. */
const MAX_NAME_LENGTH = 56;

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
export class CanaryRelease extends Construct implements INetworkPeer, IObservableWorkload {
  /** Whether `x` is a CanaryRelease (works across copies of this package). */
  public static isCanaryRelease(x: unknown): x is CanaryRelease {
    return typeof x === 'object' && x !== null && CANARY_RELEASE_BRAND in x;
  }

  /** The name of the Service, ServiceAccount and Istio objects (the Deployments add `-stable`/`-canary`). */
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
  /** The container port serving Prometheus metrics, when `metrics` is given. */
  public readonly metricsPort?: number;
  /** The protocol the app speaks on its port. */
  public readonly appProtocol: AppProtocol;
  /** The labels that select both tracks' pods. */
  public readonly selector: Record<string, string>;
  /** The name of the ServiceAccount both tracks run as. */
  public readonly serviceAccountName: string;
  /** Percentage of requests routed to the canary. */
  public readonly canaryWeight: number;
  /** The stable track. */
  public readonly stable: CanaryReleaseTrack;
  /** The canary track. */
  public readonly canary: CanaryReleaseTrack;
  /** The ClusterIP Service `<name>` selecting both tracks. */
  public readonly service: ApiObject;
  /** The ServiceAccount both tracks run as. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `<name>-config`, when `config` is given. */
  public readonly configMap?: ApiObject;
  /** The ConfigMap `<name>-files` both tracks mount, when `files` is given. */
  public readonly filesConfigMap?: ApiObject;
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
  /** The ServiceMonitor `<name>` scraping both tracks through the Service `<name>` (series labelled `track`), when `metrics` is given. */
  public readonly serviceMonitor?: ApiObject;
  /** The PodMonitor `<name>`, when `metrics.service` is false. */
  public readonly podMonitor?: ApiObject;

  private readonly budgetOptions: false | DisruptionBudgetOptions | undefined;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    Object.defineProperty(this, CANARY_RELEASE_BRAND, { value: true });
    validateProps(this, 'CanaryReleaseProps', props);

    const workload = resolveWorkloadOptions(this, props);
    if (workload.name.length > MAX_NAME_LENGTH) {
      throw propError(this, 'name', workload.name, `must be at most ${MAX_NAME_LENGTH} characters, so that "${workload.name}-canary" stays a valid label value`);
    }
    if (workload.appProtocol === 'tcp') {
      throw propError(this, 'appProtocol', workload.appProtocol, 'must be "http", "http2" or "grpc": Istio splits and matches traffic per request, which plain TCP does not have');
    }
    this.canaryWeight = checkCanaryWeight(this, props.canaryWeight);
    this.routing = resolveRoutingMode(this, props);
    const identity = { name: workload.name, instance: workload.name, component: 'server', partOf: workload.partOf };
    const labels = recommendedLabels(identity);

    this.name = workload.name;
    this.namespace = namespaceOf(this);
    this.port = workload.port;
    this.servicePort = workload.servicePort;
    this.containerPorts = workload.ports.map(p => p.port);
    this.portNames = Object.fromEntries(workload.ports.map(p => [p.name, p.port]));
    this.metricsPort = workload.metrics?.port;
    this.appProtocol = workload.appProtocol;
    this.selector = selectorLabels(identity);
    this.serviceAccountName = workload.serviceAccountName;
    this.budgetOptions = props.disruptionBudget;

    // Validate the shared options once, at the release, before the tracks merge their overrides.
    const { serviceAccount, configMap, configMapName, filesConfigMap } = createWorkloadSupport(this, workload, props, labels);
    this.serviceAccount = serviceAccount;
    this.configMap = configMap;
    this.filesConfigMap = filesConfigMap;

    const shared: SharedTrackOptions = {
      workload,
      namespace: this.namespace,
      labels,
      selector: this.selector,
      env: props.env,
      secretEnv: props.secretEnv,
      resources: props.resources,
      disruptionBudget: props.disruptionBudget,
      configMapName,
    };
    const stableInput = resolveTrack(this, 'stable', props.stable, shared);
    const canaryInput = resolveTrack(this, 'canary', props.canary, shared);
    const httpRoute = this.routing === 'gateway-api' ? buildCanaryHttpRoute(this, {
      namespace: this.namespace,
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

    this.stable = new CanaryReleaseTrack(this, 'stable', stableInput);
    this.canary = new CanaryReleaseTrack(this, 'canary', canaryInput);
    this.service = createService(this, workload, labels, this.selector);
    ({ serviceMonitor: this.serviceMonitor, podMonitor: this.podMonitor } = monitorTrackedRelease(this, workload, labels, this.selector));
    if (httpRoute) {
      this.stableService = createService(this.stable, { ...workload, name: `${workload.name}-stable` }, labels, this.stable.selector);
      this.canaryService = createService(this.canary, { ...workload, name: `${workload.name}-canary` }, labels, this.canary.selector);
      this.httpRoute = this.createHttpRoute(httpRoute, labels, workload.port);
    } else {
      const istio = this.createIstioRouting(workload.name, labels, routes, trafficPolicy, gatewayHosts, gatewaySpec);
      this.destinationRule = istio.destinationRule;
      this.gateway = istio.gateway;
      this.virtualService = istio.virtualService;
    }
    // The Istio ingress gateway must reach the release wherever its namespace shuts it out.
    if (this.gateway && props.gateway) allowFromGatewayPods(this, this, resolveGatewayPods(this, props.gateway, gatewaySpec!.selector));
    const apiServer = resolveApiServer(this, props.serviceAccount, workload.automountToken);
    if (apiServer) allowApiServer(this, this, apiServer);
    this.stable._updateDisruptionBudget();
    this.canary._updateDisruptionBudget();
    for (const track of [this.stable, this.canary]) this.node.addValidation(scaleToZeroAfterRouting(track));
    this.node.addValidation({ validate: () => [...this.validateTracksServeTraffic(props), ...this.validateBudgetHasPods()] });
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

  private createHttpRoute(input: CanaryHttpRoute, labels: Record<string, string>, containerPort: number): ApiObject {
    const route = createHttpRoute(this, { name: this.name, namespace: this.namespace, labels, route: input.route, rules: input.rules });
    registerRoutedWorkload(this, gatewayKey(input.route.gateway), { peer: this, port: containerPort });
    return route;
  }

  private createIstioRouting(name: string, labels: Record<string, string>, routes: IstioHttpRoute[], trafficPolicy: IstioTrafficPolicy | undefined,
    gatewayHosts: string[] | undefined, gatewaySpec: GatewaySpec | undefined): IstioRouting {
    const workload = { name };
    claimName(this, 'name', 'DestinationRule', workload.name);
    const destinationRule = createDestinationRule(this, 'DestinationRule', {
      name: workload.name,
      labels,
      spec: {
        host: workload.name,
        trafficPolicy,
        subsets: [
          { name: STABLE_SUBSET, labels: subsetLabels(this.stable) },
          { name: CANARY_SUBSET, labels: subsetLabels(this.canary) },
        ],
      },
    });
    let gateway: ApiObject | undefined;
    if (gatewaySpec) {
      claimName(this, 'name', 'Gateway', workload.name);
      claimGatewayListeners(this, 'gateway.hosts', gatewaySpec.selector, gatewaySpec.servers);
      gateway = createGateway(this, 'Gateway', { name: workload.name, labels, spec: gatewaySpec });
    }
    claimName(this, 'name', 'VirtualService', workload.name);
    const virtualService = createVirtualService(this, 'VirtualService', {
      name: workload.name,
      labels,
      spec: {
        hosts: [workload.name, ...(gatewayHosts ?? [])],
        gateways: gateway ? [workload.name, 'mesh'] : undefined,
        http: routes,
      },
    });
    return { destinationRule, virtualService, gateway };
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

  private validateBudgetHasPods(): string[] {
    if (this.budgetOptions && !this.stable.disruptionBudget && !this.canary.disruptionBudget) {
      return [`${this.node.path}: invalid disruptionBudget ${JSON.stringify(this.budgetOptions)}: both tracks run a single replica, and a budget would block node drains; remove it, or raise a track's replicas or its autoscaler's maxReplicas to 2 or more`];
    }
    return [];
  }
}

/** The Istio objects of a release with routing 'istio'. */
interface IstioRouting {
  readonly destinationRule: ApiObject;
  readonly virtualService: ApiObject;
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
