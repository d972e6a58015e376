import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEPLOYMENT_OVERLAY_KEY, SECCOMP_OVERLAY_TEXT } from './istio-gateway-deployment';

/** The name of the parameters ConfigMap of the Gateway `name`. */
export function gatewayParametersName(name: string): string {
  return `${name}-gateway-options`;
}

/**
 * The ConfigMap a Gateway of class `istio` names in `spec.infrastructure.parametersRef`: Istio
 * applies its `deployment` overlay to the Deployment it renders for the Gateway, here the seccomp
 * profile Pod Security `restricted` requires (Istio's default gateway pod has none).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
export function createGatewayParameters(scope: Construct,
  options: { readonly name: string; readonly namespace?: string; readonly labels: Record<string, string> }): ApiObject {
  return new ApiObject(scope, 'Parameters', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: gatewayParametersName(options.name), namespace: options.namespace, labels: options.labels },
    data: { [DEPLOYMENT_OVERLAY_KEY]: SECCOMP_OVERLAY_TEXT },
  });
}

/** `spec.infrastructure` of a Gateway whose pods Istio deploys with the parameters ConfigMap's overlays. */
export function gatewayInfrastructure(name: string): Record<string, unknown> {
  return { parametersRef: { group: '', kind: 'ConfigMap', name: gatewayParametersName(name) } };
}
