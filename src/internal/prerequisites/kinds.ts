/**
 * What each kind of object the output may hold needs from the cluster: the CustomResourceDefinition
 * serving its API version and the controller that acts on it. One line per kind: a construct that
 * writes a new kind adds its line here, and `prerequisites` lists it wherever such an object is
 * written (derived from the synthesised objects, so JSON patches and hand-written objects count).
 * Built-in Kubernetes kinds need nothing and are not listed.
 */
export interface KindRequirement {
  /** The CustomResourceDefinition (`<plural>.<group>`). */
  readonly crd: string;
  /** Who installs the CRD and runs the controller. */
  readonly provider: string;
}

/** `<apiVersion> <kind>` → what it needs. */
export const KIND_REQUIREMENTS: Readonly<Record<string, KindRequirement>> = {
  'gateway.networking.k8s.io/v1 Gateway': { crd: 'gateways.gateway.networking.k8s.io', provider: 'Gateway API CRDs (standard channel, ≥ v1.1) and a Gateway controller for its gatewayClassName' },
  'gateway.networking.k8s.io/v1 HTTPRoute': { crd: 'httproutes.gateway.networking.k8s.io', provider: 'Gateway API CRDs (standard channel, ≥ v1.0) and a Gateway controller' },
  'gateway.networking.k8s.io/v1 GRPCRoute': { crd: 'grpcroutes.gateway.networking.k8s.io', provider: 'Gateway API CRDs (standard channel, ≥ v1.1) and a Gateway controller' },
  'networking.istio.io/v1beta1 VirtualService': { crd: 'virtualservices.networking.istio.io', provider: 'Istio (istiod)' },
  'networking.istio.io/v1beta1 DestinationRule': { crd: 'destinationrules.networking.istio.io', provider: 'Istio (istiod)' },
  'networking.istio.io/v1beta1 Gateway': { crd: 'gateways.networking.istio.io', provider: 'Istio (istiod) and an Istio ingress gateway' },
  'networking.istio.io/v1beta1 ServiceEntry': { crd: 'serviceentries.networking.istio.io', provider: 'Istio (istiod)' },
  'networking.istio.io/v1beta1 Sidecar': { crd: 'sidecars.networking.istio.io', provider: 'Istio (istiod)' },
  'security.istio.io/v1beta1 PeerAuthentication': { crd: 'peerauthentications.security.istio.io', provider: 'Istio (istiod)' },
  'security.istio.io/v1beta1 AuthorizationPolicy': { crd: 'authorizationpolicies.security.istio.io', provider: 'Istio (istiod)' },
  'monitoring.coreos.com/v1 ServiceMonitor': { crd: 'servicemonitors.monitoring.coreos.com', provider: 'prometheus-operator (e.g. kube-prometheus-stack)' },
  'monitoring.coreos.com/v1 PodMonitor': { crd: 'podmonitors.monitoring.coreos.com', provider: 'prometheus-operator (e.g. kube-prometheus-stack)' },
  'monitoring.coreos.com/v1 PrometheusRule': { crd: 'prometheusrules.monitoring.coreos.com', provider: 'prometheus-operator (e.g. kube-prometheus-stack)' },
  'argoproj.io/v1alpha1 Rollout': { crd: 'rollouts.argoproj.io', provider: 'Argo Rollouts (controller, with its Istio traffic routing)' },
  'argoproj.io/v1alpha1 AnalysisTemplate': { crd: 'analysistemplates.argoproj.io', provider: 'Argo Rollouts' },
  'argoproj.io/v1alpha1 Application': { crd: 'applications.argoproj.io', provider: 'Argo CD' },
  'kyverno.io/v1 ClusterPolicy': { crd: 'clusterpolicies.kyverno.io', provider: 'Kyverno ≥ 1.13 (admission controller; SigstoreBundle image verification)' },
  'kyverno.io/v1 Policy': { crd: 'policies.kyverno.io', provider: 'Kyverno ≥ 1.13 (admission controller; SigstoreBundle image verification)' },
  'external-secrets.io/v1 ExternalSecret': { crd: 'externalsecrets.external-secrets.io', provider: 'External Secrets Operator ≥ v0.16 (serves external-secrets.io/v1)' },
};

/** Groups served by Kubernetes itself. */
export const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io',
  'apiregistration.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
]);
