import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ResourceSpec } from './container-basics';
import { DnsOptions } from './dns-options';
import { ImageVerification, ImageVerificationOptions } from './image-verification';
import { propError } from './internal/core/errors';
import { claimName } from './internal/core/name-registry';
import { constructsOfApp } from './internal/core/tree';
import { checkDnsLabel } from './internal/core/validate';
import { buildLimitRangeItem, namespaceResourceProblems, ResourceBounds } from './internal/namespace/limit-range';
import { createNamespace, namespaceObjectLabels, quotaHard } from './internal/namespace/namespace-resources';
import { podSecurityLevelProblems } from './internal/namespace/pod-security-check';
import { ADMIN_EXEC_REASON, checkGroups, createEditorRole, createRoleBinding } from './internal/namespace/rbac-access';
import { NamespacePolicies } from './internal/network/namespace-policies';
import { allowDns, allowIstiod, resolveDns } from './internal/network/network-allowances';
import { validateProps } from './internal/validation/validate-props';
import { createAuthorizationPolicy } from './istio/authorization-policy';
import { createPeerAuthentication } from './istio/peer-authentication';
import { createSidecar } from './istio/sidecar';

export { ResourceBounds } from './internal/namespace/limit-range';

/**
 * A Pod Security Standards profile.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

const LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/** Caps on what all pods of the namespace together may request. */
export interface NamespaceQuota {
  /**
   * Total cpu: a quantity caps `requests.cpu` (workloads set no cpu limit by default, and a
   * `limits.cpu` quota refuses every container without one); `{ request, limit }` caps them
   * separately (a `limit` then needs a cpu limit on every container: synthesis checks it).
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
   * @default - cpu is not capped
   */
  readonly cpu?: string | ResourceSpec;
  /**
   * Total memory, like `cpu`.
   * @default - memory is not capped
   */
  readonly memory?: string | ResourceSpec;
  /**
   * Number of pods.
   * @default - the number of pods is not capped
   */
  readonly pods?: number;
}

/**
 * The LimitRange `container-defaults`: what containers that declare no resources get, and the
 * bounds every container must stay within. The defaults agree with the workloads' own (cpu
 * request 100m and no cpu limit, memory 256Mi request and limit), so a workload of this library
 * is never changed by them. Synthesis fails when the range would make a workload of the same
 * namespace in the App invalid (e.g. a request above the cpu limit it injects).
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export interface NamespaceLimits {
  /**
   * Default cpu request and limit of a container. A `limit` is injected into every container
   * without one (including workloads of this library, which set no cpu limit unless asked), so
   * give one only when the cluster needs it; a request alone sets no limit.
   * @default { request: '100m' } (no default cpu limit)
   */
  readonly defaultCpu?: ResourceSpec;
  /**
   * Default memory request and limit of a container (a request alone is also the limit).
   * @default { request: '256Mi', limit: '256Mi' }
   */
  readonly defaultMemory?: ResourceSpec;
  /**
   * Largest limit a container may have. A `max` without a default limit becomes the default
   * limit (the API server's defaulting), so `max.cpu` puts a cpu limit on every container.
   * @default - no maximum
   */
  readonly max?: ResourceBounds;
  /**
   * Smallest request a container may have.
   * @default - no minimum
   */
  readonly min?: ResourceBounds;
}

/**
 * Istio settings of the namespace. Assumptions: sidecars under Pod Security `restricted` need
 * the Istio CNI plugin (the `istio-init` container needs NET_ADMIN and NET_RAW); STRICT mTLS
 * rejects plain-text traffic, so an ingress controller outside the mesh cannot reach the apps —
 * use the Istio ingress gateway, put the controller in the mesh, or relax mTLS.
 */
export interface NamespaceIstioOptions {
  /**
   * Inject Envoy sidecars into the namespace's pods (`istio-injection` label).
   * @default true
   */
  readonly injection?: boolean;
  /**
   * Mutual TLS mode of the namespace-wide PeerAuthentication `default`.
   * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
   * @default 'STRICT'
   */
  readonly mtls?: 'STRICT' | 'PERMISSIVE';
  /**
   * Deny every request not allowed by an ALLOW AuthorizationPolicy (an "allow-nothing" policy);
   * `NetworkPolicyBundle.allow()` then also allows the declared flows at L7.
   * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
   * @default false
   */
  readonly denyByDefault?: boolean;
  /**
   * Namespace of the Istio control plane, which sidecars must reach on port 15012.
   * @default 'istio-system'
   */
  readonly controlPlaneNamespace?: string;
}

/** Groups of people and what they may do in the namespace. */
export interface NamespaceAccess {
  /**
   * Groups bound to the built-in `admin` ClusterRole (includes exec; the binding records a Polaris waiver).
   * @default - nobody
   */
  readonly admins?: readonly string[];
  /**
   * Groups bound to the `editor` Role: deploy and operate apps, no exec/attach/port-forward, no
   * Secrets, NetworkPolicies read-only. Note: whoever may create workloads can still mount a
   * Secret into a pod they write; keep workload changes flowing through Git review.
   * @default - nobody
   */
  readonly editors?: readonly string[];
  /**
   * Groups bound to the built-in `view` ClusterRole.
   * @default - nobody
   */
  readonly viewers?: readonly string[];
}

/** Properties of a {@link SecureNamespace}. */
export interface SecureNamespaceProps {
  /** The namespace's name (a DNS-1123 label). */
  readonly name: string;
  /**
   * Pod Security Admission level enforced, audited and warned about.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Version of the Pod Security Standards the level refers to (`v1.<minor>` or `latest`); pinned
   * so that a cluster upgrade does not tighten the rules under running apps.
   * @default 'v1.28'
   */
  readonly podSecurityVersion?: string;
  /**
   * A ResourceQuota on the namespace's total requests and limits.
   * @default - no ResourceQuota
   */
  readonly quota?: NamespaceQuota;
  /**
   * Container resource defaults and bounds (LimitRange `container-defaults`), or `false` for none.
   * @default - requests cpu 100m and memory 256Mi, memory limit 256Mi, no cpu limit, no min or max
   */
  readonly limits?: false | NamespaceLimits;
  /**
   * Istio sidecars, mTLS and authorization, or `false` for a namespace outside the mesh.
   * @default { injection: true, mtls: 'STRICT', denyByDefault: false }
   */
  readonly istio?: false | NamespaceIstioOptions;
  /**
   * What the namespace's sidecars do with connections to hosts outside the mesh's registry
   * (neither a Kubernetes Service nor a ServiceEntry): `'allow-any'` forwards them,
   * `'registry-only'` refuses them (an Istio `Sidecar` named `default` with
   * `outboundTrafficPolicy.mode: REGISTRY_ONLY`), so apps reach only the external hosts declared
   * with `NetworkPolicyBundle.allowEgress(from, { hosts, ports })`. Needs sidecars (`istio.injection`).
   * @see https://istio.io/latest/docs/reference/config/networking/sidecar/#OutboundTrafficPolicy
   * @default 'allow-any'
   */
  readonly outboundTraffic?: 'allow-any' | 'registry-only';
  /**
   * Deny all ingress and egress by default (NetworkPolicy `default-deny`), still allowing DNS
   * to kube-dns and, with sidecars, egress to istiod.
   * @default true
   */
  readonly defaultDenyNetwork?: boolean;
  /**
   * Where the namespace's pods resolve names (the `allow-dns` egress allowance).
   * @default { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53] }
   */
  readonly dns?: DnsOptions;
  /**
   * Who may do what in the namespace.
   * @default - no RoleBindings
   */
  readonly access?: NamespaceAccess;
  /**
   * Admit only images signed keyless by the given workflow (a Kyverno `Policy` `verify-images`
   * in the namespace): the short form of an {@link ImageVerification} of this namespace.
   * @default - no image verification
   */
  readonly verifyImages?: ImageVerificationOptions;
}

/**
 * A namespace locked down by default: Pod Security Admission labels, resource defaults and
 * quota, Istio mTLS (and optionally deny-by-default authorization), a default-deny NetworkPolicy
 * with DNS (and istiod) egress, and least-privilege RoleBindings for people.
 * Composes with `NetworkPolicyBundle`s of the same namespace: one default-deny, one DNS allowance.
 */
export class SecureNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The Pod Security level enforced. */
  public readonly podSecurity: PodSecurityLevel;
  /** Whether sidecars are injected. */
  public readonly istioInjection: boolean;
  /** Whether the mesh denies requests by default. */
  public readonly meshDenyByDefault: boolean;
  /** The Namespace. */
  public readonly namespace: ApiObject;
  /** The ResourceQuota `compute-quota`, when `quota` is given. */
  public readonly resourceQuota?: ApiObject;
  /** The LimitRange `container-defaults`, unless `limits` is false. */
  public readonly limitRange?: ApiObject;
  /** The PeerAuthentication `default`, with Istio. */
  public readonly peerAuthentication?: ApiObject;
  /** The AuthorizationPolicy `allow-nothing`, with `istio.denyByDefault`. */
  public readonly denyAllAuthorization?: ApiObject;
  /** The Istio Sidecar `default`, with `outboundTraffic: 'registry-only'`. */
  public readonly outboundSidecar?: ApiObject;
  /** The Role `editor`, when editors are given. */
  public readonly editorRole?: ApiObject;
  /** The RoleBindings `admins`, `editors` and `viewers`, as given. */
  public readonly roleBindings: readonly ApiObject[];
  /** The image verification, when `verifyImages` is given. */
  public readonly imageVerification?: ImageVerification;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    validateProps(this, 'SecureNamespaceProps', props);
    this.name = checkDnsLabel(this, 'name', props.name);
    checkNamespaceChart(this, this.name);
    this.podSecurity = props.podSecurity ?? 'restricted';
    if (!LEVELS.includes(this.podSecurity)) throw propError(this, 'podSecurity', this.podSecurity, `must be one of ${LEVELS.map(l => `"${l}"`).join(', ')}`);
    const version = props.podSecurityVersion ?? 'v1.28';
    if (!/^(latest|v1\.\d+)$/.test(version)) throw propError(this, 'podSecurityVersion', version, 'must be "latest" or a Kubernetes minor version such as "v1.28"');
    const istio = this.resolveIstio(props.istio);
    this.istioInjection = istio !== false && istio.injection;
    this.meshDenyByDefault = istio !== false && istio.denyByDefault;

    const labels: Record<string, string> = { ...namespaceObjectLabels(this.name, this.name, 'namespace') };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = this.podSecurity;
      labels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    if (istio !== false) labels['istio-injection'] = istio.injection ? 'enabled' : 'disabled';
    this.namespace = createNamespace(this, this.name, labels);

    if (props.quota !== undefined) this.resourceQuota = this.createQuota(props.quota);
    if (props.limits !== false) this.limitRange = this.createLimitRange(props.limits ?? {});
    this.node.addValidation({ validate: () => this.podProblems() });

    const policies = NamespacePolicies.of(this, this.name);
    const mesh = istio === false ? {} : { mtls: istio.mtls, controlPlaneNamespace: istio.controlPlaneNamespace };
    policies.recordMesh({ path: this.node.path, sidecars: this.istioInjection, ...mesh });
    if (istio !== false) {
      claimName(this, 'istio', 'PeerAuthentication', 'default', this.name);
      this.peerAuthentication = createPeerAuthentication(this, 'PeerAuthentication', {
        name: 'default', namespace: this.name, labels: namespaceObjectLabels(this.name, 'default', 'mesh-security'), spec: { mtls: { mode: istio.mtls } },
      });
      if (istio.mtls === 'STRICT') policies.requireMeshMtls();
      if (istio.denyByDefault) {
        this.denyAllAuthorization = policies.getOrCreate(this, 'allow-nothing', 'allow-nothing', () => createAuthorizationPolicy(this, 'AuthorizationPolicy', {
          name: 'allow-nothing', namespace: this.name, labels: namespaceObjectLabels(this.name, 'allow-nothing', 'mesh-security'), spec: {},
        }), 'AuthorizationPolicy');
        policies.denyMeshByDefault();
      }
    }
    this.outboundSidecar = this.createOutboundPolicy(props.outboundTraffic ?? 'allow-any');
    const defaultDenyNetwork = props.defaultDenyNetwork ?? true;
    if (typeof defaultDenyNetwork !== 'boolean') throw propError(this, 'defaultDenyNetwork', defaultDenyNetwork, 'must be true or false');
    if (defaultDenyNetwork) {
      policies.deny(this, ['Ingress', 'Egress']);
      allowDns(this, policies, resolveDns(this, 'dns', props.dns));
    }
    if (istio !== false && istio.injection) allowIstiod(this, policies, istio.controlPlaneNamespace);
    const access = this.createAccess(props.access ?? {});
    this.editorRole = access.editorRole;
    this.roleBindings = access.bindings;
    if (props.verifyImages !== undefined) {
      this.imageVerification = new ImageVerification(this, 'ImageVerification', { ...props.verifyImages, namespaces: [this.name] });
    }
  }

  /** The Sidecar `default` that refuses hosts outside the registry, for `'registry-only'`. */
  private createOutboundPolicy(mode: 'allow-any' | 'registry-only'): ApiObject | undefined {
    if (mode !== 'allow-any' && mode !== 'registry-only') throw propError(this, 'outboundTraffic', mode, 'must be "allow-any" or "registry-only"');
    if (mode === 'allow-any') return undefined;
    if (!this.istioInjection) {
      throw propError(this, 'outboundTraffic', mode, 'is enforced by the Istio sidecars, and this namespace has none (istio: false or injection: false); inject sidecars, or keep "allow-any" and limit egress with NetworkPolicies (allowEgress with a cidr)');
    }
    claimName(this, 'outboundTraffic', 'Sidecar', 'default', this.name);
    return createSidecar(this, 'Sidecar', {
      name: 'default', namespace: this.name, labels: namespaceObjectLabels(this.name, 'default', 'mesh-egress'), spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
  }

  /**
   * What the namespace's admission would refuse in the App's pods: requests and limits against its
   * LimitRange and ResourceQuota, and every pod against its Pod Security level (cdk8s-plus
   * workloads and hand-written objects included). The tree is read once.
   */
  private podProblems(): string[] {
    const objects = constructsOfApp(this);
    const resources = this.resourceQuota || this.limitRange
      ? namespaceResourceProblems({ namespace: this.name, path: this.node.path, limitRange: this.limitRange, quota: this.resourceQuota }, objects)
      : [];
    return [
      ...resources.map(p => `${this.node.path}: ${p}`),
      ...podSecurityLevelProblems({ namespace: this.name, path: this.node.path, level: this.podSecurity }, objects),
    ];
  }

  private resolveIstio(istio: false | NamespaceIstioOptions | undefined): false | Required<NamespaceIstioOptions> {
    if (istio === false) return false;
    if (istio !== undefined && (typeof istio !== 'object' || istio === null || Array.isArray(istio))) throw propError(this, 'istio', istio, 'must be false or { injection, mtls, denyByDefault }');
    const mtls = istio?.mtls ?? 'STRICT';
    if (mtls !== 'STRICT' && mtls !== 'PERMISSIVE') throw propError(this, 'istio.mtls', mtls, 'must be "STRICT" or "PERMISSIVE"');
    return {
      injection: istio?.injection ?? true,
      mtls,
      denyByDefault: istio?.denyByDefault ?? false,
      controlPlaneNamespace: checkDnsLabel(this, 'istio.controlPlaneNamespace', istio?.controlPlaneNamespace ?? 'istio-system'),
    };
  }

  private createQuota(quota: NamespaceQuota): ApiObject {
    claimName(this, 'quota', 'ResourceQuota', 'compute-quota', this.name);
    return new ApiObject(this, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute-quota', namespace: this.name, labels: namespaceObjectLabels(this.name, 'compute-quota', 'quota') },
      spec: { hard: quotaHard(this, quota) },
    });
  }

  private createLimitRange(limits: NamespaceLimits): ApiObject {
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) throw propError(this, 'limits', limits, 'must be false or { defaultCpu, defaultMemory, max, min }');
    const item = buildLimitRangeItem(this, limits);
    claimName(this, 'limits', 'LimitRange', 'container-defaults', this.name);
    const limitRange = new ApiObject(this, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace: this.name, labels: namespaceObjectLabels(this.name, 'container-defaults', 'quota') },
      spec: { limits: [item] },
    });
    return limitRange;
  }

  private createAccess(access: NamespaceAccess): { bindings: ApiObject[]; editorRole?: ApiObject } {
    if (typeof access !== 'object' || access === null || Array.isArray(access)) throw propError(this, 'access', access, 'must be an object such as { editors: ["shop-developers"] }');
    const bindings: ApiObject[] = [];
    let editorRole: ApiObject | undefined;
    if (access.admins !== undefined) {
      bindings.push(createRoleBinding(this, 'AdminsBinding', {
        name: 'admins',
        namespace: this.name,
        groups: checkGroups(this, 'access.admins', access.admins),
        roleRef: { kind: 'ClusterRole', name: 'admin' },
        polarisWaivers: { rolebindingClusterRolePodExecAttach: ADMIN_EXEC_REASON },
      }));
    }
    if (access.editors !== undefined) {
      const groups = checkGroups(this, 'access.editors', access.editors);
      editorRole = createEditorRole(this, 'EditorRole', 'editor', this.name);
      bindings.push(createRoleBinding(this, 'EditorsBinding', { name: 'editors', namespace: this.name, groups, roleRef: { kind: 'Role', name: 'editor' } }));
    }
    if (access.viewers !== undefined) {
      bindings.push(createRoleBinding(this, 'ViewersBinding', {
        name: 'viewers', namespace: this.name, groups: checkGroups(this, 'access.viewers', access.viewers), roleRef: { kind: 'ClusterRole', name: 'view' },
      }));
    }
    return { bindings, editorRole };
  }
}

/**
 * A SecureNamespace belongs in a chart of its namespace: in a chart without one, its own objects
 * name the namespace, while the workloads and bundle policies beside it carry none (they land
 * wherever the chart is applied) and a second default-deny is written for them.
 */
function checkNamespaceChart(scope: Construct, name: string): void {
  const chart = Chart.of(scope);
  if (chart.namespace !== undefined) return;
  throw propError(scope, 'name', name, `is declared in chart ${chart.node.path || '(root)'}, which sets no namespace, so the workloads and policies beside it would not be in ${JSON.stringify(name)}; give the chart the namespace (new Chart(app, ${JSON.stringify(chart.node.id || 'id')}, { namespace: ${JSON.stringify(name)} }))`);
}
