import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { brandCheck } from './internal/core/brand';
import { propError } from './internal/core/errors';
import { recommendedLabels } from './internal/core/labels';
import { resolveQuantity } from './internal/core/quantity';
import { checkAbsolutePath, checkDnsSubdomain, checkInteger, checkOptionalObject } from './internal/core/validate';
import { attachRoute } from './internal/gateway/route-attachment';
import { allowFlow } from './internal/network/network-flows';
import { wiringProblems } from './internal/output/wiring';
import { ReplicatedPodsSpec } from './internal/workload/replicated-pods';
import { servicePort } from './internal/workload/service';
import { createHeadlessService, createStatefulSet, DATA_VOLUME, mountDataVolume, ResolvedStorage } from './internal/workload/stateful-set';
import { ResolvedWorkload, resolveWorkloadOptions } from './internal/workload/workload';
import { foundWorkload, WorkloadKind } from './internal/workload/workload-foundation';
import { RouteOptions } from './route-options';
import { ServedWorkload } from './served-workload';
import { PodControllerOptions, WorkloadOptions } from './workload-options';

const STATEFUL_APP_BRAND = Symbol.for('cloudnative-constructs.StatefulApp');

/**
 * The longest StatefulApp name: the StatefulSet controller labels every pod with
 * `controller-revision-hash: <name>-<10-character hash>`, a label value of at most 63 characters.
 */
const MAX_NAME_LENGTH = 52;

/** How a persistent volume may be mounted. */
export type VolumeAccessMode = 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadOnlyMany' | 'ReadWriteMany';

const ACCESS_MODES: readonly VolumeAccessMode[] = ['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany'];

/** How the StatefulSet creates and deletes its pods. */
export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

/**
 * One persistent volume per pod, from the claim template `data` (PersistentVolumeClaims
 * `data-<name>-0`, `data-<name>-1`…, kept when the app is deleted or scaled down).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates
 */
export interface StatefulStorage {
  /** Size of each pod's volume, a Kubernetes quantity of bytes (`'10Gi'`); written in canonical form. */
  readonly size: string;
  /** Absolute path the volume is mounted at in the container. */
  readonly mountPath: string;
  /**
   * The StorageClass that provisions the volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * How the volume may be mounted.
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: VolumeAccessMode;
}

/**
 * Properties of a {@link StatefulApp}.
 */
export interface StatefulAppProps extends WorkloadOptions, PodControllerOptions {
  /**
   * The container image, pinned by a release tag (with a version number, not a channel such as `latest`, `stable` or `lts`) or a digest.
   * @example 'docker.io/library/redis:7.2.4'
   */
  readonly image: string;
  /**
   * Number of pods. One by default: a stateful app runs several pods only when it replicates
   * its own data (a clustered database), which its configuration must say.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * A persistent volume per pod.
   * @default - no persistent volume (the pods keep only their stable names)
   */
  readonly storage?: StatefulStorage;
  /**
   * Whether pods are created and deleted one at a time, each waiting for the previous one to be
   * ready (`OrderedReady`), or all at once (`Parallel`). Only scaling is affected; updates
   * always roll one pod at a time.
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#pod-management-policies
   * @default 'OrderedReady'
   */
  readonly podManagementPolicy?: PodManagementPolicy;
  /**
   * Update only the pods whose ordinal is at least this number (a staged rollout: lower it step
   * by step to roll the rest).
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#partitions
   * @default - every pod is updated
   */
  readonly updatePartition?: number;
  /**
   * Expose the app through a Gateway API gateway: an HTTPRoute `<name>` attached to the
   * gateway's HTTPS listeners of `hosts`, sending `path` to the client Service. Only for HTTP
   * apps (`appProtocol` other than `tcp`).
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   * @default - no HTTPRoute
   */
  readonly route?: RouteOptions;
  /**
   * Let the app's pods reach each other through `<name>-headless` on every declared port (a
   * clustered database's replication and gossip), on both layers: the NetworkPolicies
   * `<name>-from-<name>` and `<name>-to-<name>` where the namespace denies traffic by default, and
   * an ALLOW AuthorizationPolicy for the app's own identity where the mesh denies by default. The
   * headless Service then lists every declared port (those with `expose: false` too), so that
   * the members' sidecars speak mutual TLS on them. `false` writes nothing for the members.
   * @default true
   */
  readonly peers?: boolean;
}

/**
 * What sets a StatefulApp apart in the steps every workload takes first: its storage, resolved
 * first and handed to `resolved`, is checked against the shared options.
 */
function statefulKind(resolved: (storage: ResolvedStatefulStorage | undefined) => void): WorkloadKind<StatefulAppProps> {
  return {
    propsType: 'StatefulAppProps',
    component: 'database',
    version: 'objects',
    controllerKind: 'StatefulSet',
    maxName: { length: MAX_NAME_LENGTH, why: () => ': the StatefulSet controller labels each pod with "<name>-<10-character revision hash>", which must fit in 63' },
    resolve: (scope, props) => {
      const storage = props.storage === undefined ? undefined : resolveStorage(scope, props.storage);
      resolved(storage);
      // a database speaks its own protocol: TCP unless told, or routed as HTTP
      const defaultAppProtocol = props.route === undefined ? 'tcp' : 'http';
      // the claim template's volume and mount, so that the shared options are checked against them
      const workload = resolveWorkloadOptions(scope, props, storage ? {
        reservedVolumes: new Map([[DATA_VOLUME, 'the persistent volume of storage']]),
        mountPaths: [{ path: storage.mountPath, prop: 'storage.mountPath' }],
        defaultAppProtocol,
      } : { defaultAppProtocol });
      return { workload, hasPort: true };
    },
  };
}

/**
 * A hardened stateful workload (a database, a cache, a queue broker): a StatefulSet whose pods
 * meet the Pod Security Standards restricted profile, a headless Service `<name>-headless`
 * giving each pod a stable DNS name, a client Service `<name>`, a persistent volume per pod, its
 * own ServiceAccount without a token and a PodDisruptionBudget when it runs two or more pods.
 */
export class StatefulApp extends ServedWorkload {
  /** Whether `x` is a StatefulApp (works across copies of this package). */
  public static readonly isStatefulApp = brandCheck<StatefulApp>(STATEFUL_APP_BRAND);

  /** The name of the headless Service, `<name>-headless`: pod `i` is `<name>-<i>.<name>-headless`. */
  public readonly headlessServiceName: string;
  /** The StatefulSet. */
  public readonly statefulSet: ApiObject;
  /** The headless Service `<name>-headless` that governs the StatefulSet. */
  public readonly headlessService: ApiObject;
  /** The HTTPRoute `<name>`, when `route` is given. */
  public readonly httpRoute?: ApiObject;
  /** The validated storage, in canonical form, when `storage` is given. */
  public readonly storage?: StatefulStorage;

  constructor(scope: Construct, id: string, props: StatefulAppProps) {
    let storage: ResolvedStatefulStorage | undefined;
    super(scope, id, STATEFUL_APP_BRAND, self => foundWorkload(self, props, statefulKind(resolved => { storage = resolved; })));
    this.storage = storage;
    this.headlessServiceName = `${this.name}-headless`;

    this.statefulSet = this._runPods(this.statefulPods(props, storage));
    this._serve();
    this.headlessService = this.createMembers(props.peers ?? true);
    this._monitor({ hasService: true });
    if (props.route !== undefined) this.httpRoute = attachRoute(this, props.route, this._foundation);
    this._allowApiServer();
    this._guardPods('app');
    this.node.addValidation({
      validate: () => wiringProblems({ service: this.service, workloads: [this._wired], httpRoute: this.httpRoute }).map(problem => `${this.node.path}: ${problem}`),
    });
  }

  /** The StatefulSet's replicas, budget and pods: ordered or parallel, staged by a partition, each with its volume. */
  private statefulPods(props: StatefulAppProps, storage: ResolvedStatefulStorage | undefined): ReplicatedPodsSpec {
    const { workload, labels, identity } = this._foundation;
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 1, 0);
    if (replicas === 0 && props.disruptionBudget) {
      throw propError(this, 'disruptionBudget', props.disruptionBudget, 'replicas is 0, so the budget would select no pod; remove the budget or run at least 2 replicas');
    }
    const podManagementPolicy = props.podManagementPolicy ?? 'OrderedReady';
    if (podManagementPolicy !== 'OrderedReady' && podManagementPolicy !== 'Parallel') {
      throw propError(this, 'podManagementPolicy', podManagementPolicy, 'must be "OrderedReady" or "Parallel"');
    }
    const updatePartition = props.updatePartition === undefined ? undefined : checkInteger(this, 'updatePartition', props.updatePartition, 0);
    return {
      replicas,
      disruptionBudget: props.disruptionBudget,
      adjustTemplate: template => (storage ? mountDataVolume(this, template, storage) : template),
      controller: (owner, template, specReplicas) => createStatefulSet(owner, 'StatefulSet', {
        name: workload.name,
        labels,
        // the claim template is immutable: no version label, which changes with every release
        claimLabels: recommendedLabels(identity),
        selector: this.selector,
        template,
        replicas: specReplicas,
        controller: workload.controller,
        serviceName: this.headlessServiceName,
        podManagementPolicy,
        updatePartition,
        storage,
      }),
    };
  }

  /**
   * The headless Service `<name>-headless` and, with `peers`, what lets the members reach each
   * other on every declared port.
   */
  private createMembers(peers: boolean): ApiObject {
    if (typeof peers !== 'boolean') throw propError(this, 'peers', peers, 'must be true or false');
    const { workload, labels } = this._foundation;
    const memberPorts = peers ? memberOnlyPorts(this, workload) : [];
    const headless = createHeadlessService(this, this.headlessServiceName, labels, this.selector, this.service, memberPorts);
    if (peers) for (const port of this.containerPorts) allowFlow(this, this, this, port);
    return headless;
  }
}

/** The storage of `storage`, validated, in canonical form: as the claim template writes it and `StatefulApp.storage` reads. */
type ResolvedStatefulStorage = ResolvedStorage & StatefulStorage;

function resolveStorage(scope: IConstruct, storage: StatefulStorage): ResolvedStatefulStorage {
  checkOptionalObject(scope, 'storage', storage, '{ size: "10Gi", mountPath: "/data" }');
  const { value: bytes, canonical: size } = resolveQuantity(scope, 'storage.size', storage.size, 'storage');
  if (bytes <= 0) throw propError(scope, 'storage.size', storage.size, 'must be greater than zero: a claim requests at least one byte');
  if (!Number.isInteger(bytes)) throw propError(scope, 'storage.size', storage.size, 'is not a whole number of bytes; use a smaller unit, e.g. "1536Mi" for 1.5Gi');
  const mountPath = checkAbsolutePath(scope, 'storage.mountPath', storage.mountPath).replace(/\/+$/, '');
  if (mountPath === '') throw propError(scope, 'storage.mountPath', storage.mountPath, 'the volume cannot be mounted over the root directory; use a directory such as "/data"');
  const accessMode = storage.accessMode ?? 'ReadWriteOnce';
  if (!ACCESS_MODES.includes(accessMode)) {
    throw propError(scope, 'storage.accessMode', accessMode, `must be one of ${ACCESS_MODES.map(m => JSON.stringify(m)).join(', ')}`);
  }
  const storageClass = storage.storageClass === undefined ? undefined : checkDnsSubdomain(scope, 'storage.storageClass', storage.storageClass);
  return { size, mountPath, storageClass, accessMode };
}

/**
 * The ports only the members use (`expose: false`), as headless Service ports on their own
 * number, so that every declared port is on a Service and Istio's sidecars speak mTLS on it.
 */
function memberOnlyPorts(scope: Construct, workload: ResolvedWorkload): Array<Record<string, unknown>> {
  const exposed = new Set([workload.servicePort, ...workload.ports.slice(1).filter(p => p.expose).map(p => p.port)]);
  return workload.ports.slice(1).filter(p => !p.expose).map(p => {
    if (exposed.has(p.port)) {
      throw propError(scope, 'ports', p.port, `the member port ${JSON.stringify(p.name)} (expose: false) has the number of a port of the Services, so the headless Service cannot list both; give it another number, or set peers: false`);
    }
    return servicePort(p.name, p.port, p.appProtocol);
  });
}
