import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { claimName } from '../core/name-registry';

/** Creates the ConfigMap `<name>-config` holding the workload's configuration. */
export function createConfigMap(scope: Construct, appName: string, labels: Record<string, string>,
  data: Readonly<Record<string, string>>): ApiObject {
  const name = `${appName}-config`;
  claimName(scope, 'config', 'ConfigMap', name);
  return new ApiObject(scope, 'ConfigMap', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    data: { ...data },
  });
}

/** Creates the ConfigMap holding the workload's `files` (ConfigMap key → content). */
export function createFilesConfigMap(scope: Construct, name: string, labels: Record<string, string>,
  data: Readonly<Record<string, string>>): ApiObject {
  claimName(scope, 'files', 'ConfigMap', name);
  return new ApiObject(scope, 'FilesConfigMap', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels },
    data: { ...data },
  });
}
