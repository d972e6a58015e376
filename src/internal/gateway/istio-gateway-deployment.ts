import { strategicMerge } from './strategic-merge';

/*
 * What Istio's gateway deployment controller makes of a Gateway of class `istio` (its "automated
 * deployment"): a Deployment `<name>-istio` of full Envoy proxies (`proxy router`, labelled
 * `sidecar.istio.io/inject: "false"`: they are the proxy, whatever the namespace's injection
 * label), with the mesh identity of the ServiceAccount `<name>-istio`, fetching their
 * configuration and certificates from istiod on port 15012. Modelled on the controller's template
 * istio/istio manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml (commit
 * 86c9f01f, August 2026), with the chart's default values (`gateways.securityContext: {}`,
 * `gateways.seccompProfile: {}`): the pod sets only the sysctl that lets it bind ports 80 and
 * 443, and no seccomp profile, so Pod Security `restricted` refuses it. Only the fields Pod
 * Security and the policies read are modelled. Overlays from the ConfigMap the Gateway names in
 * `spec.infrastructure.parametersRef` (its `deployment` key) are applied as the controller does,
 * by a strategic merge patch (pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go).
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */

/** The class whose gateways Istio deploys as modelled here. */
export const ISTIO_GATEWAY_CLASS = 'istio';

/** The key of the parameters ConfigMap holding the overlay of the gateway's Deployment. */
export const DEPLOYMENT_OVERLAY_KEY = 'deployment';

/** The overlay that gives the gateway's pods the seccomp profile Pod Security `restricted` requires. */
export const SECCOMP_OVERLAY = { spec: { template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } } } };

/** The overlay as the ConfigMap holds it (YAML; JSON is YAML). */
export const SECCOMP_OVERLAY_TEXT = [
  'spec:',
  '  template:',
  '    spec:',
  '      securityContext:',
  '        seccompProfile:',
  '          type: RuntimeDefault',
  '',
].join('\n');

/** The Deployment Istio renders for the Gateway `name` in `namespace`, before overlays. */
export function istioGatewayDeployment(name: string, namespace: string): Record<string, unknown> {
  const deploymentName = `${name}-${ISTIO_GATEWAY_CLASS}`;
  const labels = { 'gateway.networking.k8s.io/gateway-name': name, 'gateway.networking.k8s.io/gateway-class-name': ISTIO_GATEWAY_CLASS };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName, namespace, labels: { ...labels, 'gateway.istio.io/managed': 'istio.io-gateway-controller' } },
    spec: {
      selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': name } },
      template: {
        metadata: {
          labels: {
            'sidecar.istio.io/inject': 'false',
            'service.istio.io/canonical-name': deploymentName,
            'service.istio.io/canonical-revision': 'latest',
            ...labels,
            'gateway.istio.io/managed': 'istio.io-gateway-controller',
          },
        },
        spec: {
          securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
          serviceAccountName: deploymentName,
          containers: [{
            name: 'istio-proxy',
            image: 'auto',
            securityContext: {
              capabilities: { drop: ['ALL'] },
              allowPrivilegeEscalation: false,
              privileged: false,
              readOnlyRootFilesystem: true,
              runAsUser: 1337,
              runAsGroup: 1337,
              runAsNonRoot: true,
            },
            ports: [
              { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
              { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
              { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
            ],
            args: ['proxy', 'router'],
          }],
          volumes: [
            { name: 'workload-socket', emptyDir: {} },
            { name: 'credential-socket', emptyDir: {} },
            { name: 'workload-certs', emptyDir: {} },
            { name: 'istio-envoy', emptyDir: { medium: 'Memory' } },
            { name: 'istio-data', emptyDir: {} },
            { name: 'istio-podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } }] } },
            { name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } },
          ],
        },
      },
    },
  };
}

/** The Deployment with each overlay applied in order (the controller's strategic merge patch). */
export function applyDeploymentOverlays(deployment: Record<string, unknown>, overlays: readonly unknown[]): Record<string, unknown> {
  return overlays.reduce<Record<string, unknown>>((current, overlay) => strategicMerge(current, overlay) as Record<string, unknown>, deployment);
}
