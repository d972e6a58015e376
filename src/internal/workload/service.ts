import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedWorkload } from './workload';
import { claimName } from '../core/name-registry';

/**
 * Creates the ClusterIP Service `<name>`: one named port with `appProtocol`, forwarding the
 * service port to the container's named port.
 */
export function createService(scope: Construct, workload: ResolvedWorkload, labels: Record<string, string>,
  selector: Record<string, string>): ApiObject {
  claimName(scope, 'name', 'Service', workload.name);
  return new ApiObject(scope, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload.name, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{
        name: workload.portName,
        port: workload.servicePort,
        targetPort: workload.portName,
        protocol: 'TCP',
        appProtocol: workload.appProtocol === 'tcp' ? undefined : workload.appProtocol,
      }],
    },
  });
}
