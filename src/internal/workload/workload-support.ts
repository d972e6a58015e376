import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { createConfigMap, createFilesConfigMap } from './config-map';
import { EnvVarJson, resolveEnv } from './env';
import { ContainerResources, resolveResources } from './resources';
import { createServiceAccount } from './service-account';
import { ResolvedWorkload } from './workload';
import { WorkloadOptions } from '../../workload-options';

/**
 * What every hardened workload has beside its pods: the main container's validated env (never
 * naming a `config` key) and resources, its own ServiceAccount, and the ConfigMaps of `config`
 * and `files`.
 */
export interface WorkloadSupport {
  readonly env: EnvVarJson[];
  readonly resources: ContainerResources;
  readonly serviceAccount: ApiObject;
  /** The ConfigMap of `config`, when given. */
  readonly configMap?: ApiObject;
  /** Its name, for the pod template's `envFrom`. */
  readonly configMapName?: string;
  /** The ConfigMap of `files`, when given. */
  readonly filesConfigMap?: ApiObject;
}

/**
 * Validates the main container's env and resources and creates the objects every workload
 * shares (ids `ServiceAccount`, `ConfigMap`, `FilesConfigMap` in `scope`), the same way for
 * every workload construct.
 */
export function createWorkloadSupport(scope: Construct, workload: ResolvedWorkload,
  props: Pick<WorkloadOptions, 'env' | 'secretEnv' | 'resources'>, labels: Record<string, string>): WorkloadSupport {
  const env = resolveEnv(scope, props.env, props.secretEnv, '', workload.config);
  const resources = resolveResources(scope, 'resources', props.resources);
  const serviceAccount = createServiceAccount(scope, workload.serviceAccountName, labels, workload.automountToken);
  const configMap = workload.config ? createConfigMap(scope, workload.name, labels, workload.config) : undefined;
  const filesConfigMap = workload.files ? createFilesConfigMap(scope, workload.filesConfigMapName!, labels, workload.files.data) : undefined;
  return { env, resources, serviceAccount, configMap, configMapName: configMap?.metadata.name, filesConfigMap };
}
