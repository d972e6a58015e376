import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { claimName } from '../core/name-registry';

/** Creates the workload's own ServiceAccount, with token automount off unless asked. */
export function createServiceAccount(scope: Construct, name: string, labels: Record<string, string>, automountToken: boolean): ApiObject {
  claimName(scope, 'serviceAccount.name', 'ServiceAccount', name);
  return new ApiObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, labels },
    automountServiceAccountToken: automountToken,
  });
}
