import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedControllerOptions } from './controller-options';
import { PodTemplateJson } from './replicated-pods';
import { propError } from '../core/errors';
import { lazy } from '../core/lazy';
import { claimName } from '../core/name-registry';

/** The name of the volume claim template, and of the volume the pods mount. */
export const DATA_VOLUME = 'data';

/** A validated `storage` prop. */
export interface ResolvedStorage {
  readonly size: string;
  readonly mountPath: string;
  readonly storageClass?: string;
  readonly accessMode: string;
}

/** What a StatefulSet needs. */
export interface StatefulSetInput {
  readonly name: string;
  readonly labels: Record<string, string>;
  /** Labels of the claim template: only those that never change, since the template is immutable. */
  readonly claimLabels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly template: PodTemplateJson;
  readonly replicas: () => number | undefined;
  readonly serviceName: string;
  readonly podManagementPolicy: string;
  readonly updatePartition?: number;
  readonly storage?: ResolvedStorage;
  /** `minReadySeconds` and `revisionHistoryLimit` (a StatefulSet has no progress deadline). */
  readonly controller: ResolvedControllerOptions;
}

/**
 * Creates an apps/v1 StatefulSet: pods with stable names behind the headless Service
 * `serviceName`, rolling updates (with a partition when given) and one PersistentVolumeClaim
 * per pod from the `data` claim template.
 */
export function createStatefulSet(scope: Construct, id: string, input: StatefulSetInput): ApiObject {
  claimName(scope, 'name', 'StatefulSet', input.name);
  const { storage } = input;
  return new ApiObject(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: input.name, labels: input.labels },
    spec: {
      replicas: Lazy.any({ produce: input.replicas }),
      serviceName: input.serviceName,
      podManagementPolicy: input.podManagementPolicy,
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: input.updatePartition === undefined ? undefined : { partition: input.updatePartition },
      },
      minReadySeconds: input.controller.minReadySeconds,
      revisionHistoryLimit: input.controller.revisionHistoryLimit,
      selector: { matchLabels: input.selector },
      template: input.template,
      volumeClaimTemplates: storage ? [{
        metadata: { name: DATA_VOLUME, labels: input.claimLabels },
        spec: {
          accessModes: [storage.accessMode],
          storageClassName: storage.storageClass,
          resources: { requests: { storage: storage.size } },
        },
      }] : undefined,
    },
  });
}

/**
 * Mounts the `data` volume of the claim template into the main container and lets the kubelet
 * give it to the pod's group (`fsGroup`) only when the volume's root does not already belong
 * to it, so a large volume is not walked at every start. Fails when the pod already has a
 * volume named `data` or a mount at the same path.
 */
export function mountDataVolume(scope: Construct, template: PodTemplateJson, storage: ResolvedStorage): PodTemplateJson {
  type PodSpec = { containers: Array<Record<string, unknown>>; volumes?: Array<{ name: string }>; securityContext: Record<string, unknown> };
  const spec = template.spec as PodSpec;
  const main = spec.containers[0];
  const mounts = (main.volumeMounts as Array<{ name: string; mountPath: string }> | undefined) ?? [];
  if ((spec.volumes ?? []).some(v => v.name === DATA_VOLUME)) {
    throw propError(scope, 'storage', storage, `the pod already has a volume named "${DATA_VOLUME}" (a writable path /${DATA_VOLUME} or a volume of that name); the persistent volume takes that name: rename the other one`);
  }
  const clash = mounts.find(m => m.mountPath.replace(/\/+$/, '') === storage.mountPath);
  if (clash) {
    throw propError(scope, 'storage.mountPath', storage.mountPath, `the volume "${clash.name}" is already mounted there; mount the persistent volume at another path or remove the other mount`);
  }
  main.volumeMounts = [...mounts, { name: DATA_VOLUME, mountPath: storage.mountPath }];
  spec.securityContext = { ...spec.securityContext, fsGroupChangePolicy: 'OnRootMismatch' };
  return template;
}

/**
 * Creates the headless Service `<name>-headless` the StatefulSet is governed by: no cluster IP,
 * one DNS record per pod (`<pod>.<name>-headless`), published before the pods are ready so
 * that members of a cluster can find each other while they start. Its ports follow the client
 * Service's, then `memberPorts` (ports only the members use, kept off the client Service).
 */
export function createHeadlessService(scope: Construct, name: string, labels: Record<string, string>,
  selector: Record<string, string>, clientService: ApiObject, memberPorts: readonly Record<string, unknown>[] = []): ApiObject {
  claimName(scope, 'name', 'Service', name);
  return new ApiObject(scope, 'HeadlessService', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels },
    spec: {
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: lazy(() => [...(clientService.toJson() as { spec: { ports: unknown[] } }).spec.ports, ...memberPorts]),
    },
  });
}
