import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedWorkload } from './workload';
import { AppProtocol } from '../../container-basics';
import { claimName } from '../core/name-registry';

/**
 * Creates the ClusterIP Service `<name>`: the main port, named and with `appProtocol`,
 * forwarding the service port to the container's named port, then every other exposed port of
 * the pod (`ports`, sidecars' ports) on its own number.
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
      ports: [
        servicePort(workload.portName, workload.servicePort, workload.appProtocol),
        ...workload.ports.slice(1).filter(p => p.expose).map(p => servicePort(p.name, p.port, p.appProtocol)),
      ],
    },
  });
}

/** A Service port forwarding `port` to the container port named `name`, with Istio's protocol hint. */
export function servicePort(name: string, port: number, appProtocol: AppProtocol): Record<string, unknown> {
  return { name, port, targetPort: name, protocol: 'TCP', appProtocol: appProtocol === 'tcp' ? undefined : appProtocol };
}
