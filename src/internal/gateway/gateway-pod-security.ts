import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type * as Yaml from 'yaml';
import { applyDeploymentOverlays, DEPLOYMENT_OVERLAY_KEY, ISTIO_GATEWAY_CLASS, istioGatewayDeployment } from './istio-gateway-deployment';
import { podSecurityProblems } from '../../testing/pod-security';
import { constructsOfApp } from '../core/tree';

/** The label Pod Security Admission enforces a namespace's level by. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The final JSON (JSON patches applied) of the app's objects of `kind` named `name` in `namespace`. */
function finalObjects(scope: IConstruct, kind: string, name: string, namespace?: string): any[] {
  return constructsOfApp(scope)
    .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === kind && c.name === name)
    .map(o => o.toJson())
    .filter(o => namespace === undefined || o.metadata?.namespace === namespace);
}

/**
 * Checks the pods Istio will deploy for a Gateway against the Pod Security level its namespace
 * enforces, as the API server will: the Deployment Istio renders for the Gateway as written
 * (final JSON, JSON patches included), with the overlay of the ConfigMap its
 * `spec.infrastructure.parametersRef` names, put through the same Pod Security check as the
 * library's own pods. Known when the Namespace object is in the App; gateways of another class
 * than `istio` are not modelled. Returns the problems, as validation messages.
 */
export function gatewayPodProblems(scope: IConstruct, gateway: ApiObject): string[] {
  const json = gateway.toJson();
  const name: string = json.metadata.name;
  const namespace: string | undefined = json.metadata.namespace;
  if (json.spec?.gatewayClassName !== ISTIO_GATEWAY_CLASS || namespace === undefined) return [];
  const level = finalObjects(scope, 'Namespace', namespace).map(n => n.metadata?.labels?.[ENFORCE_LABEL])[0];
  if (level !== 'restricted' && level !== 'baseline') return [];

  const ref = json.spec.infrastructure?.parametersRef;
  const overlays: unknown[] = [];
  if (ref?.kind === 'ConfigMap' && (ref.group ?? '') === '') {
    const configMap = finalObjects(scope, 'ConfigMap', ref.name, namespace)[0];
    // a ConfigMap kept outside the App cannot be read: nothing to check against
    if (configMap === undefined) return [];
    const text = configMap.data?.[DEPLOYMENT_OVERLAY_KEY];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (typeof text === 'string') overlays.push((require('yaml') as typeof Yaml).parse(text));
  }
  const deployment = applyDeploymentOverlays(istioGatewayDeployment(name, namespace), overlays);
  const problems = podSecurityProblems(deployment as any, level);
  if (problems.length === 0) return [];
  const how = ref === undefined
    ? 'the Gateway names no parameters ConfigMap (spec.infrastructure.parametersRef), so Istio deploys its default pod'
    : `the overlay of ConfigMap "${ref.name}" (key "${DEPLOYMENT_OVERLAY_KEY}") leaves it so`;
  return [`${scope.node.path}: the pods Istio deploys for Gateway "${name}" (Deployment ${name}-${ISTIO_GATEWAY_CLASS}) would be refused by namespace "${namespace}", which enforces Pod Security "${level}": `
    + `${problems.map(p => `${p.path}: ${p.message}`).join('; ')}; ${how}. Keep the parameters ConfigMap the gateway construct writes (its seccomp overlay) and the Gateway's parametersRef to it, `
    + 'or lower the namespace\'s podSecurity'];
}
