import { Construct, IConstruct } from 'constructs';
import { checkPinnedImage, imageVersionLabel } from './image';
import { OptionalPortWorkload } from './optional-port';
import { ResolvedWorkload, resolveWorkloadOptions } from './workload';
import { createWorkloadSupport, WorkloadSupport } from './workload-support';
import { DeploymentOptions, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';
import { LabelIdentity, recommendedLabels, selectorLabels } from '../core/labels';
import { claimName, namespaceOf } from '../core/name-registry';
import { ResolvedApiServer, resolveApiServer } from '../network/api-server-access';
import { PropsTypeName, validateProps } from '../validation/validate-props';

/**
 * What a hardened workload starts from, whatever owns its pods: the shared options resolved,
 * its identity and labels, and the objects every workload has beside its pods (ServiceAccount,
 * ConfigMaps). A `CanaryRelease` track gets its foundation from the release.
 */
export interface WorkloadFoundation extends WorkloadSupport {
  /** The shared options, validated, with every default applied. */
  readonly workload: ResolvedWorkload;
  /** The name of the object owning the pods (and of their budget). */
  readonly name: string;
  readonly namespace: string;
  /** The main container port, when the container declares one. */
  readonly port?: number;
  /** The container port serving Prometheus metrics, when the workload is measured by it. */
  readonly metricsPort?: number;
  /** The pinned image, when the workload runs one. */
  readonly image?: string;
  /** The pods' `app.kubernetes.io/version`, when the workload runs one image. */
  readonly version?: string;
  /** What the recommended labels describe, without the version. */
  readonly identity: LabelIdentity;
  /** The labels of the workload's objects. */
  readonly labels: Record<string, string>;
  /** The labels of its pods. */
  readonly podLabels: Record<string, string>;
  /** The labels selecting every pod of the workload. */
  readonly selector: Record<string, string>;
  /** The API server endpoint the pods may reach, when `serviceAccount.apiServer` is given. */
  readonly apiServer?: ResolvedApiServer;
}

/** The props every workload construct's props extend. */
export type WorkloadProps = WorkloadOptions & DeploymentOptions & { readonly image?: string };

/** What sets one workload construct apart in the steps every workload construct takes first. */
export interface WorkloadKind<P extends WorkloadProps> {
  /** The props type the generated schema checks (`'WebAppProps'`). */
  readonly propsType: PropsTypeName;
  /** The `app.kubernetes.io/component` of its objects. */
  readonly component: string;
  /**
   * Where the image's version label goes: on every object (`'objects'`), on the pods only
   * (`'pods'`: a release whose objects outlive a version), or nowhere (`'none'`: no single image).
   */
  readonly version: 'objects' | 'pods' | 'none';
  /** The kind of the object named `<name>` that owns the pods, claimed in the namespace. @default - none claimed */
  readonly controllerKind?: string;
  /** The longest name, and why (given the name). @default - the Kubernetes name limit */
  readonly maxName?: { readonly length: number; readonly why: (name: string) => string };
  /** Resolves the shared options. @default - every option, with a required port */
  readonly resolve?: (scope: IConstruct, props: P) => OptionalPortWorkload;
}

/**
 * The first steps of every workload construct, in order: check the props against the schema,
 * resolve the shared options, claim the name, check the image, derive the labels, check the
 * API server endpoint, and create the ServiceAccount and ConfigMaps (ids `ServiceAccount`, `ConfigMap`, `FilesConfigMap` in `scope`).
 */
export function foundWorkload<P extends WorkloadProps>(scope: Construct, props: P, kind: WorkloadKind<P>): WorkloadFoundation {
  validateProps(scope, kind.propsType, props);
  const { workload, hasPort } = kind.resolve ? kind.resolve(scope, props) : { workload: resolveWorkloadOptions(scope, props), hasPort: true };
  if (kind.maxName && workload.name.length > kind.maxName.length) {
    throw propError(scope, 'name', workload.name, `must be at most ${kind.maxName.length} characters${kind.maxName.why(workload.name)}`);
  }
  if (kind.controllerKind) claimName(scope, 'name', kind.controllerKind, workload.name);
  const version = kind.version === 'none' ? undefined : imageVersionLabel(checkPinnedImage(scope, 'image', props.image!));
  const identity = { name: workload.name, instance: workload.name, component: kind.component, partOf: workload.partOf };
  const labels = recommendedLabels(kind.version === 'objects' ? { ...identity, version } : identity);
  return {
    workload,
    name: workload.name,
    namespace: namespaceOf(scope),
    port: hasPort ? workload.port : undefined,
    metricsPort: workload.metrics?.port,
    image: props.image,
    version,
    identity,
    labels,
    podLabels: recommendedLabels({ ...identity, version }),
    selector: selectorLabels(identity),
    apiServer: resolveApiServer(scope, props.serviceAccount, workload.automountToken),
    ...createWorkloadSupport(scope, workload, props, labels),
  };
}
