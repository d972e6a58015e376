import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsOptions } from './dns-options';
import { ExternalHostProtocol } from './external-host-protocol';
import { GatewayReference } from './gateway-reference';
import { HttpGateway } from './http-gateway';
import { HttpsGateway } from './https-gateway';
import { propError } from './internal/core/errors';
import { checkNamedNamespace, namespaceOf } from './internal/core/name-registry';
import { hasOwn } from './internal/core/own';
import { checkDnsLabel, checkPort, checkResourceName } from './internal/core/validate';
import { GatewayPeer } from './internal/gateway/gateway-peer';
import { gatewayKey, isGatewayConstruct, resolveGatewayRef } from './internal/gateway/gateway-ref';
import { whenRouted } from './internal/gateway/route-registry';
import { declareExternalHosts, EXTERNAL_ADDRESSES, resolveExternalHosts } from './internal/network/external-hosts';
import { createMeshAllowance } from './internal/network/mesh-allowance';
import { allowMonitoring } from './internal/network/monitoring-allowances';
import { NamespacePolicies } from './internal/network/namespace-policies';
import { allowDns, allowSameNamespace, resolveDns } from './internal/network/network-allowances';
import { checkCidr } from './internal/network/network-cidr';
import { allowFlow, allowFromEveryNamespace, placementOf } from './internal/network/network-flows';
import { createNetworkPolicy, EgressRule, namespacePeer, PolicyType, tcpPorts } from './internal/network/network-policy';
import { plusPeer } from './internal/network/plus-peer';
import { allowWorkloadEgress } from './internal/network/workload-egress';
import { PEER_KINDS, PLUS_KINDS } from './internal/validation/instance-kinds';
import { validateArgs, validateProps } from './internal/validation/validate-props';
import { INetworkPeer, isNetworkPeer } from './network-peer';
import { IPlusWorkload, isPlusWorkload } from './plus-workload';

/**
 * A workload `allow()` and `allowEgress()` can name: any workload of this library (`WebApp`,
 * `CanaryRelease` or one of its tracks, `Worker`, `StatefulApp`, `ScheduledJob`) or a cdk8s-plus
 * 2.x `Deployment` or `StatefulSet` of any major.
 */
export type PolicyPeer = INetworkPeer | IPlusWorkload;

const POLICY_PEER_KINDS = `${PEER_KINDS}, or ${PLUS_KINDS}`;

/** Which directions a {@link NetworkPolicyBundle} denies by default. */
export type DefaultDenyMode = 'all' | 'ingress' | 'egress' | 'none';

const MODES: Record<DefaultDenyMode, PolicyType[]> = { all: ['Ingress', 'Egress'], ingress: ['Ingress'], egress: ['Egress'], none: [] };

/** Where the ingress controller runs and which apps it may reach. */
export interface IngressControllerOptions {
  /**
   * Namespace of the ingress controller's pods.
   * @default 'ingress-nginx'
   */
  readonly namespace?: string;
  /**
   * The apps it may reach, on their container port.
   * @default - every app of the bundle's namespace that has an Ingress (created before the bundle)
   */
  readonly to?: readonly INetworkPeer[];
}

/** Where metrics are scraped from. */
export interface MonitoringOptions {
  /**
   * Namespace of the scraper (e.g. Prometheus).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * A container port opened on every pod of the namespace (the namespace-wide policy `name`),
   * besides the metrics port of each workload that declares `metrics`.
   * @default - only the declared metrics ports; any port while no workload declares metrics
   */
  readonly port?: number;
  /**
   * Name of the namespace-wide NetworkPolicy (and, in a deny-by-default mesh, AuthorizationPolicy); give each
   * bundle of one namespace that opens another scraper or port its own name.
   * @default 'allow-monitoring'
   */
  readonly name?: string;
}

/**
 * One egress allowance: to a CIDR block, to a namespace, or to external DNS names, on given ports.
 * Exactly one of `cidr`, `namespace` and `hosts`.
 */
export interface EgressAllowance {
  /**
   * Destination CIDR block, e.g. `10.20.0.0/16`.
   * @default - none; `namespace` or `hosts` must be given
   */
  readonly cidr?: string;
  /**
   * Destination namespace.
   * @default - none; `cidr` or `hosts` must be given
   */
  readonly namespace?: string;
  /**
   * External DNS names, e.g. `['api.stripe.com', '*.googleapis.com']`: an Istio ServiceEntry
   * `egress-<host>` in the sender's namespace adds them to the mesh's registry (needed where the
   * outbound policy is `REGISTRY_ONLY`, see `SecureNamespace.outboundTraffic`). A NetworkPolicy
   * cannot select DNS names, so it opens the ports to every public address (all but the private,
   * CGNAT, link-local and unique-local ranges); the mesh is what tells hosts apart.
   * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
   * @default - none; `cidr` or `namespace` must be given
   */
  readonly hosts?: readonly string[];
  /** Destination ports (at least one). */
  readonly ports: readonly number[];
  /**
   * Protocol of the ports.
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
  /**
   * With `hosts`: what the app speaks on the ports, which Istio routes by (`TLS` by SNI, `HTTP`
   * by Host header). Wildcard hosts need `TLS` or an HTTP protocol.
   * @default - 'TLS' on 443, 'HTTP' on 80, 'TCP' on other ports
   */
  readonly hostProtocol?: ExternalHostProtocol;
}

/** Options of {@link NetworkPolicyBundle.allow}. */
export interface AllowOptions {
  /**
   * The receiver's namespace denies ingress by default outside this App (a cluster-wide
   * policy, a namespace managed elsewhere): write the receiver's ingress NetworkPolicy anyway.
   * Without it the ingress side is written only once a construct of this App denies ingress
   * there, since an allowance alone would isolate the pods it selects.
   * @default false
   */
  readonly assumeIngressDenied?: boolean;
  /**
   * The sender's namespace denies egress by default outside this App: write the sender's
   * egress NetworkPolicy anyway.
   * @default false
   */
  readonly assumeEgressDenied?: boolean;
}

/**
 * Properties of a {@link NetworkPolicyBundle}. Allowances are emitted only where the direction
 * they open is denied by default (by this bundle, another one or a `SecureNamespace`): an
 * allowance alone would otherwise isolate the pods it selects.
 */
export interface NetworkPolicyBundleProps {
  /**
   * Prefix of the bundle's own NetworkPolicies (`<name>-egress`).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Directions denied by default in the namespace (the shared `default-deny` NetworkPolicy).
   * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
   * @default 'all'
   */
  readonly defaultDeny?: DefaultDenyMode;
  /**
   * Allow DNS lookups to the cluster DNS (`allow-dns`).
   * @default true
   */
  readonly allowDns?: boolean;
  /**
   * Where the namespace's pods resolve names (must agree with a SecureNamespace of the same
   * namespace, which writes the same `allow-dns`).
   * @default { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53] }
   */
  readonly dns?: DnsOptions;
  /**
   * Allow the ingress controller to reach the apps (`<app>-from-ingress-controller`). In an
   * Istio deny-by-default namespace the same call writes the ALLOW AuthorizationPolicy for the
   * controller's namespace; under STRICT mTLS the controller needs a sidecar to be identified.
   * @default false
   */
  readonly allowFromIngressController?: boolean | IngressControllerOptions;
  /**
   * Allow a Gateway API gateway's pods to reach exactly the workloads of this namespace routed
   * through it (their `route` prop), on the container port behind the routed Service port, in
   * whichever order the workloads and the bundle are created: `<app>-from-<gateway>` ingress on
   * the workload, `<gateway>-to-<app>` egress on the gateway's pods, and in an Istio
   * deny-by-default namespace the ALLOW AuthorizationPolicy for the gateway's identity
   * (`<name>-<className>`, the ServiceAccount Istio's automated deployment creates). Where the
   * gateway's own namespace denies ingress, its listener ports (80 and 443; 80 for an `HttpGateway`) are opened to everyone
   * (`<gateway>-listeners`, and its ALLOW policy under a deny-by-default mesh).
   * The gateway's pods are selected by `gateway.networking.k8s.io/gateway-name: <name>`, the
   * label Istio's automated deployment puts on them.
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
   * @default - none
   */
  readonly allowFromGateway?: HttpsGateway | HttpGateway | GatewayReference | ReadonlyArray<HttpsGateway | HttpGateway | GatewayReference>;
  /**
   * Allow every pod of the namespace to reach every other (`allow-same-namespace`).
   * @default false
   */
  readonly allowSameNamespace?: boolean;
  /**
   * Allow metrics scraping from the monitoring namespace. Each workload of the namespace that
   * declares `metrics` gets `<name>-from-monitoring`, opening exactly its metrics port (and, in an
   * Istio deny-by-default namespace, the matching ALLOW AuthorizationPolicy). The namespace-wide
   * `allow-monitoring` opens `port` on every pod when a port is given, or any port while no
   * workload of the namespace declares metrics.
   * @default false
   */
  readonly allowMonitoring?: boolean | MonitoringOptions;
  /**
   * Egress allowances to CIDR blocks, namespaces or external DNS names (`<name>-egress`).
   * @default - none
   */
  readonly egress?: readonly EgressAllowance[];
}

/**
 * The NetworkPolicies of a namespace: a default-deny, DNS, and the few flows the apps need.
 * `allow(from, to, port)` opens one flow between workloads, across namespaces too, and when the
 * receiver's namespace is Istio deny-by-default it also allows the sender's identity at L7.
 */
export class NetworkPolicyBundle extends Construct {
  /** The namespace the bundle governs. */
  public readonly namespace: string;
  /** Prefix of the bundle's own policies. */
  public readonly name: string;
  /** The directions this bundle denies by default. */
  public readonly defaultDeny: DefaultDenyMode;

  private readonly gatewaysAllowed = new Set<string>();

  constructor(scope: Construct, id: string, props: NetworkPolicyBundleProps = {}) {
    super(scope, id);
    validateProps(this, 'NetworkPolicyBundleProps', props);
    this.namespace = namespaceOf(this);
    this.name = checkResourceName(this, 'name', props.name ?? id);
    this.defaultDeny = props.defaultDeny ?? 'all';
    if (!hasOwn(MODES, this.defaultDeny)) throw propError(this, 'defaultDeny', this.defaultDeny, `must be one of ${Object.keys(MODES).map(m => `"${m}"`).join(', ')}`);
    const egress = this.resolveEgress(props.egress ?? []);
    const policies = NamespacePolicies.of(this, this.namespace);

    policies.deny(this, MODES[this.defaultDeny]);
    const dns = resolveDns(this, 'dns', props.dns);
    if (props.allowDns ?? true) allowDns(this, policies, dns);
    if (props.allowSameNamespace ?? false) allowSameNamespace(this, policies);
    if (props.allowMonitoring) {
      const monitoring = props.allowMonitoring === true ? {} : props.allowMonitoring;
      if (typeof monitoring !== 'object' || Array.isArray(monitoring)) {
        throw propError(this, 'allowMonitoring', monitoring, 'must be true, false or { namespace, port, name }, e.g. { namespace: "monitoring", port: 9090 }');
      }
      const port = monitoring.port === undefined ? undefined : checkPort(this, 'allowMonitoring.port', monitoring.port);
      const name = checkResourceName(this, 'allowMonitoring.name', monitoring.name ?? 'allow-monitoring');
      allowMonitoring(this, policies, checkDnsLabel(this, 'allowMonitoring.namespace', monitoring.namespace ?? 'monitoring'), port, name);
    }
    const ingressController = props.allowFromIngressController;
    if (ingressController) this.allowIngressController(ingressController === true ? {} : ingressController);
    if (props.allowFromGateway !== undefined) {
      const value = props.allowFromGateway;
      const list = Array.isArray(value);
      const gateways = (list ? value : [value]) as ReadonlyArray<HttpsGateway | HttpGateway | GatewayReference>;
      gateways.forEach((gateway, i) => this.allowGateway(gateway, list ? `allowFromGateway[${i}]` : 'allowFromGateway'));
    }
    if (egress.length > 0) {
      policies.whenDenied('Egress', () => policies.getOrCreate(this, `${this.name}-egress`, `egress:${this.node.path}`, () => createNetworkPolicy(this, 'NetworkPolicy-egress', {
        name: `${this.name}-egress`, namespace: this.namespace, component: 'network-policy', spec: { podSelector: {}, policyTypes: ['Egress'], egress },
      })));
    }
  }

  /** Every NetworkPolicy and AuthorizationPolicy this bundle created (the shared ones only if it created them first). */
  public get policies(): ApiObject[] {
    return this.node.children.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  }

  /**
   * Allows `from` to open connections to `to` on `port`: ingress on the receiver, egress on the
   * sender, and, when the receiver's namespace is Istio deny-by-default, an ALLOW
   * AuthorizationPolicy for the sender's ServiceAccount.
   * @param from the sending workload (any workload of this library, or a cdk8s-plus Deployment or StatefulSet)
   * @param to the receiving workload
   * @param port a **container** port of `to` (not its Service port), by number or by the name of
   * a port it declares (`'metrics'`). @default - `to`'s own port
   * @param options for namespaces default-denied outside this App. @default - each side only where this App denies
   */
  public allow(from: PolicyPeer, to: PolicyPeer, port?: number | string, options: AllowOptions = {}): this {
    validateArgs(this, 'NetworkPolicyBundle.prototype.allow', [from, to, port, options]);
    const sender = this.peerOf('allow.from', from);
    const receiver = this.peerOf('allow.to', to);
    const target = this.targetPort('allow.port', receiver, port, `${sender.node.path} ("${sender.name}")`);
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw propError(this, 'allow.options', options, 'must be an object such as { assumeIngressDenied: true }');
    }
    for (const key of ['assumeIngressDenied', 'assumeEgressDenied'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'boolean') throw propError(this, `allow.options.${key}`, options[key], 'must be true or false');
    }
    allowFlow(this, sender, receiver, target, { ingress: options.assumeIngressDenied ?? false, egress: options.assumeEgressDenied ?? false });
    return this;
  }

  /**
   * Allows the pods of `from` alone to open connections to a CIDR block, a namespace or external
   * DNS names on the given ports (the NetworkPolicy `<from>-egress`); the bundle's `egress` prop
   * opens the same for every pod of the namespace. Like every allowance, the NetworkPolicy is
   * written only where egress is denied by default; the ServiceEntry of `hosts` always is.
   * @param from the sending workload
   * @param to where it may connect: `{ cidr | namespace | hosts, ports, protocol?, hostProtocol? }`
   */
  public allowEgress(from: PolicyPeer, to: EgressAllowance): this {
    validateArgs(this, 'NetworkPolicyBundle.prototype.allowEgress', [from, to]);
    const sender = this.peerOf('allowEgress.from', from);
    allowWorkloadEgress(this, sender, this.resolveEgressRule('allowEgress', to, sender.namespace, placementOf(sender)));
    return this;
  }

  /**
   * Lets the pods of every namespace call `to` on `port`: the NetworkPolicy `<to>-from-cluster`
   * (ingress from `namespaceSelector: {}`) once `to`'s namespace denies ingress, and in an Istio
   * deny-by-default namespace the ALLOW AuthorizationPolicy `<to>-from-cluster` for any mesh
   * identity (`principals: ["*"]`: callers need a sidecar). For a service every team calls (an
   * auth service, a shared cache). Only the receiver is opened: callers whose own namespace
   * denies egress still need their egress allowance.
   * @param to the receiving workload
   * @param port a **container** port of `to`, by number or by the name of a port it declares.
   * @default - `to`'s own port
   */
  public allowFromCluster(to: PolicyPeer, port?: number | string): this {
    validateArgs(this, 'NetworkPolicyBundle.prototype.allowFromCluster', [to, port]);
    const receiver = this.peerOf('allowFromCluster.to', to);
    const target = this.targetPort('allowFromCluster.port', receiver, port, 'the pods of every namespace');
    allowFromEveryNamespace(this, receiver, target);
    return this;
  }

  /** The container port of `receiver` that `port` names (its own port by default), which it must listen on. */
  private targetPort(prop: string, receiver: INetworkPeer, port: number | string | undefined, sender: string): number {
    if (port === undefined && receiver.port === undefined) {
      throw propError(this, prop, port, `${receiver.node.path} ("${receiver.name}") declares no port, so ${sender} cannot be allowed to it; give it a port, or pass the port it listens on`);
    }
    const target = typeof port === 'string' ? this.namedPort(prop, receiver, port) : checkPort(this, prop, port ?? receiver.port!);
    if (!receiver.containerPorts.includes(target)) {
      const servicePort = (receiver as { servicePort?: unknown }).servicePort;
      const hint = servicePort === target && receiver.port !== target ? ` (${target} is its Service port; NetworkPolicy ports are container ports: use ${receiver.port})` : '';
      const exposes = receiver.containerPorts.length > 0 ? `it exposes ${receiver.containerPorts.join(', ')}` : 'it declares no port';
      throw propError(this, prop, target,
        `${receiver.node.path} ("${receiver.name}") does not listen on container port ${target}, so ${sender} cannot be allowed to it; ${exposes}${hint}`);
    }
    return target;
  }

  private peerOf(prop: string, x: PolicyPeer): INetworkPeer {
    if (isNetworkPeer(x)) return x;
    if (isPlusWorkload(x)) return plusPeer(x);
    throw propError(this, prop, describePeer(x), `must be ${POLICY_PEER_KINDS}`);
  }

  private namedPort(prop: string, to: INetworkPeer, name: string): number {
    const names = to.portNames ?? {};
    if (!Object.prototype.hasOwnProperty.call(names, name)) {
      const declared = Object.entries(names).map(([n, p]) => `"${n}" (${p})`).join(', ') || 'none';
      throw propError(this, prop, name, `${to.node.path} ("${to.name}") declares no port named "${name}"; its named ports are ${declared}`);
    }
    return names[name];
  }

  private allowIngressController(options: IngressControllerOptions): void {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw propError(this, 'allowFromIngressController', options, 'must be true or { namespace, to }');
    }
    if (options.to !== undefined && !Array.isArray(options.to)) {
      throw propError(this, 'allowFromIngressController.to', describePeer(options.to), 'must be a list of WebApps, CanaryReleases or other INetworkPeers, e.g. [web]');
    }
    const controller = checkDnsLabel(this, 'allowFromIngressController.namespace', options.namespace ?? 'ingress-nginx');
    const explicit = options.to !== undefined;
    const apps = options.to ?? this.appsWithIngress();
    apps.forEach((app, i) => {
      if (!isNetworkPeer(app)) throw propError(this, `allowFromIngressController.to[${i}]`, describePeer(app), 'must be a WebApp, a CanaryRelease or another INetworkPeer');
      const appPort = app.port;
      if (appPort === undefined) throw propError(this, `allowFromIngressController.to[${i}]`, app.node.path, 'declares no port for the ingress controller to reach; give it a port');
      const policies = NamespacePolicies.of(this, app.namespace);
      const preferred = `${app.name}-from-ingress-controller`;
      const signature = `ingress-controller:${controller}:${app.namespace}/${app.name}:${appPort}`;
      // written into the app's chart: the Application syncing its namespace owns it
      policies.whenDenied('Ingress', () => policies.getOrCreate(this, preferred, signature, name => createNetworkPolicy(placementOf(app), `NetworkPolicy-${app.namespace}-${name}`, {
        name,
        namespace: app.namespace,
        component: 'network-policy',
        spec: { podSelector: { matchLabels: app.selector }, policyTypes: ['Ingress'], ingress: [{ from: [namespacePeer(controller)], ports: [{ port: appPort, protocol: 'TCP' }] }] },
      }), 'NetworkPolicy', true));
      policies.whenMeshDeniesByDefault(() => policies.getOrCreate(this, preferred, signature, name => createMeshAllowance(placementOf(app), `AuthorizationPolicy-${app.namespace}-${name}`, {
        name, namespace: app.namespace, selector: app.selector, source: { namespaces: [controller] }, ports: [String(appPort)],
      }), 'AuthorizationPolicy', true));
    });
    if (!explicit) {
      const covered = new Set(apps);
      this.node.addValidation({
        validate: () => this.appsWithIngress().filter(app => !covered.has(app)).map(app =>
          `${this.node.path}: invalid allowFromIngressController true: ${app.node.path} has an Ingress but was created after the bundle, so the ingress controller cannot reach it; create the bundle after the apps or list them in allowFromIngressController.to`),
      });
    }
  }

  private allowGateway(value: HttpsGateway | HttpGateway | GatewayReference, prop: string): void {
    const gateway = resolveGatewayRef(this, prop, value);
    const key = gatewayKey(gateway);
    if (this.gatewaysAllowed.has(key)) throw propError(this, prop, key, 'lists this gateway twice; list each gateway once');
    this.gatewaysAllowed.add(key);
    const peer: INetworkPeer = isGatewayConstruct(value) ? value as HttpsGateway | HttpGateway : new GatewayPeer(this, `Gateway-${gateway.namespace}-${gateway.name}`, gateway);
    const policies = NamespacePolicies.of(this, gateway.namespace);
    const name = `${gateway.name}-listeners`;
    const signature = `gateway-listeners:${key}`;
    // written into the gateway's chart (the bundle's, for a gateway given by reference): its namespace's Application owns them
    policies.whenDenied('Ingress', () => policies.getOrCreate(this, name, signature, n => createNetworkPolicy(placementOf(peer), `NetworkPolicy-${gateway.namespace}-${n}`, {
      name: n,
      namespace: gateway.namespace,
      component: 'network-policy',
      spec: { podSelector: { matchLabels: gateway.selector }, policyTypes: ['Ingress'], ingress: [{ ports: tcpPorts(gateway.ports) }] },
    }), 'NetworkPolicy', true));
    policies.whenMeshDeniesByDefault(() => policies.getOrCreate(this, name, signature, n => createMeshAllowance(placementOf(peer), `AuthorizationPolicy-${gateway.namespace}-${n}`, {
      name: n, namespace: gateway.namespace, selector: gateway.selector, ports: gateway.ports.map(String),
    }), 'AuthorizationPolicy', true));
    whenRouted(this, key, routed => {
      if (routed.peer.namespace !== this.namespace) return;
      if (routed.peer.namespace !== gateway.namespace) {
        checkNamedNamespace(this, prop, routed.peer, routed.peer.namespace, `the gateway's egress policy in namespace "${gateway.namespace}" must name the namespace of ${routed.peer.node.path}`);
      }
      allowFlow(this, peer, routed.peer, routed.port);
    });
  }

  private appsWithIngress(): INetworkPeer[] {
    return this.node.root.node.findAll().filter((c): c is INetworkPeer => isNetworkPeer(c) && c.namespace === this.namespace
      && (c as { ingress?: unknown }).ingress !== undefined);
  }

  private resolveEgress(rules: readonly EgressAllowance[]): EgressRule[] {
    if (!Array.isArray(rules as unknown)) throw propError(this, 'egress', rules, 'must be a list of { cidr | namespace | hosts, ports }');
    return rules.map((rule, i) => this.resolveEgressRule(`egress[${i}]`, rule));
  }

  private resolveEgressRule(prop: string, rule: EgressAllowance, namespace = this.namespace, placement: Construct = this): EgressRule {
    const targets = typeof rule === 'object' && rule !== null ? [rule.cidr, rule.namespace, rule.hosts].filter(t => t !== undefined).length : 0;
    if (targets !== 1) {
      throw propError(this, prop, rule, 'must give exactly one of cidr, namespace or hosts, e.g. { cidr: "10.20.0.0/16", ports: [5432] } or { hosts: ["api.stripe.com"], ports: [443] }');
    }
    const portList: readonly number[] = rule.ports;
    if (!Array.isArray(portList) || portList.length === 0) throw propError(this, `${prop}.ports`, portList, 'must list at least one destination port');
    const protocol = rule.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') throw propError(this, `${prop}.protocol`, protocol, 'must be "TCP" or "UDP"');
    const ports = portList.map((p: number, j: number) => ({ port: checkPort(this, `${prop}.ports[${j}]`, p), protocol }));
    if (rule.hostProtocol !== undefined && rule.hosts === undefined) throw propError(this, `${prop}.hostProtocol`, rule.hostProtocol, 'goes with hosts only');
    if (rule.hosts !== undefined) {
      if (protocol === 'UDP') throw propError(this, `${prop}.protocol`, protocol, 'Istio does not proxy UDP to external hosts; allow the addresses with cidr instead');
      const external = resolveExternalHosts(this, prop, rule.hosts, ports.map(p => p.port), rule.hostProtocol);
      declareExternalHosts(placement, namespace, external);
      return { to: EXTERNAL_ADDRESSES, ports };
    }
    const to = rule.cidr !== undefined
      ? { ipBlock: { cidr: checkCidr(this, `${prop}.cidr`, rule.cidr) } }
      : namespacePeer(checkDnsLabel(this, `${prop}.namespace`, rule.namespace!));
    return { to: [to], ports };
  }
}

/** A construct is reported by its path, anything else as itself. */
function describePeer(x: unknown): unknown {
  const path = (x as { node?: { path?: unknown } } | undefined)?.node?.path;
  return typeof path === 'string' ? path : x;
}
