import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { createNetworkPolicy, PolicyType } from './network-policy';
import { shortHash } from '../core/checksum';
import { PropValidationError } from '../core/errors';
import { getOrInsert } from '../core/get-or-insert';
import { claimName, releaseName } from '../core/name-registry';

const REGISTRIES = new WeakMap<IConstruct, Map<string, NamespacePolicies>>();

/** The name of the one default-deny NetworkPolicy of a namespace. */
export const DEFAULT_DENY_POLICY = 'default-deny';

/** What a namespace's construct declares about the mesh. */
export interface NamespaceMesh {
  /** The construct that declared it (for messages). */
  readonly path: string;
  /** Whether pods of the namespace get Envoy sidecars (and so a mesh identity). */
  readonly sidecars: boolean;
  /** The mTLS mode of the namespace, when it is in the mesh. */
  readonly mtls?: 'STRICT' | 'PERMISSIVE';
  /** The namespace of the Istio control plane, when the namespace is in the mesh. */
  readonly controlPlaneNamespace?: string;
}

interface SharedObject {
  readonly object: ApiObject;
  readonly signature: string;
  readonly owner: string;
}

/**
 * What every construct of one app knows about one namespace's policies: which directions are
 * denied by default, whether the mesh denies by default, and the shared objects (the default-deny,
 * the DNS allowance, …) that must exist once whichever construct asks first.
 *
 * Constructs can be created in any order, so everything that depends on another construct's
 * decision is registered as a callback (`whenDenied`, `whenMeshDeniesByDefault`): it runs at once
 * when the decision is already known, or later, at construction time of the deciding construct.
 */
export class NamespacePolicies {
  /** The registry of `namespace` in the app `scope` belongs to. */
  public static of(scope: IConstruct, namespace: string): NamespacePolicies {
    const registry = getOrInsert(REGISTRIES, scope.node.root, () => new Map());
    return getOrInsert(registry, namespace, () => new NamespacePolicies(namespace));
  }

  private readonly denied = new Set<PolicyType>();
  private readonly deniedListeners: Array<{ direction: PolicyType; callback: () => void }> = [];
  private readonly meshListeners: Array<() => void> = [];
  private readonly objects = new Map<string, SharedObject>();
  private meshDeny = false;
  private meshStrict = false;
  private readonly strictListeners: Array<() => void> = [];
  private mesh?: NamespaceMesh;

  private constructor(public readonly namespace: string) {}

  /** Whether traffic in `direction` is denied by default (so far). */
  public isDenied(direction: PolicyType): boolean {
    return this.denied.has(direction);
  }

  /** Whether the namespace's mesh denies requests by default (so far). */
  public get meshDeniesByDefault(): boolean {
    return this.meshDeny;
  }

  /**
   * Denies `directions` by default: creates the shared `default-deny` NetworkPolicy under `scope`
   * when it does not exist yet (its `policyTypes` are resolved at synthesis, so a later
   * construct can widen it), then runs the callbacks waiting for these directions.
   */
  public deny(scope: Construct, directions: readonly PolicyType[]): void {
    if (directions.length === 0) return;
    this.getOrCreate(scope, DEFAULT_DENY_POLICY, 'default-deny', () => createNetworkPolicy(scope, `NetworkPolicy-${DEFAULT_DENY_POLICY}`, {
      name: DEFAULT_DENY_POLICY,
      namespace: this.namespace,
      component: 'network-policy',
      spec: { podSelector: {}, policyTypes: () => (['Ingress', 'Egress'] as PolicyType[]).filter(d => this.denied.has(d)) },
    }));
    for (const direction of directions) {
      if (this.denied.has(direction)) continue;
      this.denied.add(direction);
      for (const listener of this.deniedListeners.filter(l => l.direction === direction)) listener.callback();
    }
  }

  /** Runs `callback` once `direction` is denied by default: now, or when some construct denies it. */
  public whenDenied(direction: PolicyType, callback: () => void): void {
    this.deniedListeners.push({ direction, callback });
    if (this.denied.has(direction)) callback();
  }

  /** Records that the mesh denies every request not explicitly allowed, and runs the waiting callbacks. */
  public denyMeshByDefault(): void {
    if (this.meshDeny) return;
    this.meshDeny = true;
    for (const callback of this.meshListeners) callback();
  }

  /**
   * Records what the namespace's own construct (a `SecureNamespace`) says about the mesh:
   * whether its pods get sidecars and the mTLS mode. Unknown for namespaces outside the App.
   */
  public recordMesh(mesh: NamespaceMesh): void {
    this.mesh = mesh;
  }

  /** The namespace's mesh settings, when a construct of the App declared them. */
  public get meshSettings(): NamespaceMesh | undefined {
    return this.mesh;
  }

  /** Runs `callback` once the mesh of this namespace denies by default. */
  public whenMeshDeniesByDefault(callback: () => void): void {
    this.meshListeners.push(callback);
    if (this.meshDeny) callback();
  }

  /** Records that the namespace's mesh requires mutual TLS (STRICT), and runs the waiting callbacks. */
  public requireMeshMtls(): void {
    if (this.meshStrict) return;
    this.meshStrict = true;
    for (const callback of this.strictListeners) callback();
  }

  /** Runs `callback` once the namespace's mesh requires mutual TLS (a STRICT PeerAuthentication). */
  public whenMeshRequiresMtls(callback: () => void): void {
    this.strictListeners.push(callback);
    if (this.meshStrict) callback();
  }

  /**
   * Removes the shared object `kind`/`name` from the tree when it exists with `signature` (an
   * allowance another decision made redundant), so that it is not written.
   */
  public remove(kind: string, name: string, signature: string): void {
    const key = `${kind}/${name}`;
    const existing = this.objects.get(key);
    if (!existing || existing.signature !== signature) return;
    existing.object.node.scope?.node.tryRemoveChild(existing.object.node.id);
    this.objects.delete(key);
    releaseName(existing.object, kind, name, this.namespace);
  }

  /**
   * Returns the shared object `name` of this namespace, creating it with `create` the first time.
   * `signature` describes what the object means: asking for the same name with another meaning
   * fails, since one object would silently replace the other, unless `disambiguate` is set: then
   * the object is named `<name>-<hash of signature>` instead (for derived names, such as a flow's
   * `<to>-from-<from>`, that can coincide for different flows). `create` receives the final name.
   */
  public getOrCreate(scope: Construct, name: string, signature: string, create: (name: string) => ApiObject, kind = 'NetworkPolicy',
    disambiguate = false, prop = 'name'): ApiObject {
    const key = `${kind}/${name}`;
    const existing = this.objects.get(key);
    if (existing) {
      if (existing.signature !== signature && disambiguate) {
        return this.getOrCreate(scope, `${name}-${shortHash(signature)}`, signature, create, kind);
      }
      if (existing.signature !== signature) {
        throw new PropValidationError(scope.node.path, prop, name,
          `a ${kind} named ${JSON.stringify(name)} with a different meaning already exists in namespace ${JSON.stringify(this.namespace)} (created by ${existing.owner}); ${prop === 'name' ? 'choose another name' : prop.endsWith('.name') ? `set ${prop} to another name, or give both the same settings` : `give both the same ${prop} settings`}`);
      }
      return existing.object;
    }
    claimName(scope, prop, kind, name, this.namespace);
    const object = create(name);
    this.objects.set(key, { object, signature, owner: scope.node.path });
    return object;
  }
}
