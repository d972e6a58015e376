import { BUILT_IN_GROUPS, KIND_REQUIREMENTS } from './kinds';
import { groupOf, podTemplateOf } from '../../testing/pod-specs';
import { describe, Manifest } from '../../testing/problems';

/** What a requirement is about, in the order the report lists them. */
export type PrerequisiteCategory = 'api' | 'controller' | 'kubernetes' | 'mesh' | 'issuer' | 'prometheus' | 'dns';

/** One thing the cluster must provide, and the object that needs it. */
export interface Need {
  readonly category: PrerequisiteCategory;
  readonly requirement: string;
  readonly reason: string;
  readonly object: string;
}

/** A rule: what one synthesised object needs from the cluster. */
type Rule = (obj: Manifest) => Array<Omit<Need, 'object'>>;

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const labelsOf = (obj: Manifest): Record<string, string> => obj.metadata?.labels ?? {};
const annotationsOf = (obj: Manifest): Record<string, string> => obj.metadata?.annotations ?? {};
const selector = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}}`;

/** Custom resources: the CRD serving the API version, and its controller (kinds.ts). */
const customResources: Rule = (obj) => {
  if (BUILT_IN_GROUPS.has(groupOf(obj.apiVersion))) return [];
  const known = KIND_REQUIREMENTS[`${obj.apiVersion} ${obj.kind}`];
  return [
    { category: 'api', requirement: `CRD ${known?.crd ?? `for ${obj.kind}`} serving ${obj.apiVersion}`, reason: `${obj.kind} objects are written` },
    { category: 'controller', requirement: known?.provider ?? `the controller of ${obj.apiVersion} ${obj.kind} (not known to this library)`, reason: `acts on ${obj.kind}` },
  ];
};

/** A Gateway API Gateway needs its class; Istio's customization needs Istio 1.24 and Gateway API 1.1. */
const gatewayClasses: Rule = (obj) => {
  if (groupOf(obj.apiVersion) !== 'gateway.networking.k8s.io' || obj.kind !== 'Gateway') return [];
  const className = obj.spec?.gatewayClassName;
  const out = [{ category: 'controller' as const, requirement: `GatewayClass "${className}" accepted by its controller`, reason: 'spec.gatewayClassName' }];
  if (obj.spec?.infrastructure?.parametersRef !== undefined && className === 'istio') {
    const requirement = 'Istio ≥ 1.24 (Gateway customization) and Gateway API ≥ v1.1 (spec.infrastructure)';
    out.push({ category: 'controller', requirement, reason: 'the gateway pods\' seccomp profile comes from the ConfigMap spec.infrastructure.parametersRef names' });
  }
  return out;
};

/**
 * Namespaces with sidecar injection: the injector; with Pod Security `baseline` or `restricted`,
 * the Istio CNI plugin (without it every injected pod carries `istio-init`, which needs
 * NET_ADMIN and NET_RAW, and is refused).
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/
 */
const sidecarInjection: Rule = (obj) => {
  if (groupOf(obj.apiVersion) !== '' || obj.kind !== 'Namespace') return [];
  const labels = labelsOf(obj);
  if (labels['istio-injection'] !== 'enabled' && labels['istio.io/rev'] === undefined) return [];
  const out = [{ category: 'mesh' as const, requirement: 'Istio sidecar injection (istiod\'s injector webhook)', reason: 'namespace labelled for injection' }];
  const level = labels[ENFORCE];
  if (level === 'restricted' || level === 'baseline') {
    const reason = `Pod Security "${level}" refuses the istio-init container (NET_ADMIN, NET_RAW) that injection adds without CNI`;
    out.push({ category: 'mesh', requirement: 'Istio CNI plugin (istio-cni node agent)', reason });
  }
  return out;
};

/** Native sidecars (init containers that keep running) need Kubernetes 1.29 (SidecarContainers on by default). */
const nativeSidecars: Rule = (obj) => {
  const template = podTemplateOf(obj);
  if (!template) return [];
  const native = (template.spec?.initContainers ?? []).some((c: { restartPolicy?: string }) => c?.restartPolicy === 'Always');
  const istioNative = template.metadata?.annotations?.['sidecar.istio.io/nativeSidecar'] === 'true';
  return native || istioNative
    ? [{ category: 'kubernetes', requirement: 'Kubernetes ≥ 1.29 (native sidecar containers)', reason: native ? 'init containers with restartPolicy: Always' : 'sidecar.istio.io/nativeSidecar: "true"' }]
    : [];
};

/** CronJob time zones are GA in Kubernetes 1.27. */
const cronTimeZones: Rule = (obj) => (groupOf(obj.apiVersion) === 'batch' && obj.kind === 'CronJob' && obj.spec?.timeZone !== undefined
  ? [{ category: 'kubernetes', requirement: 'Kubernetes ≥ 1.27 (CronJob timeZone)', reason: `timeZone "${obj.spec.timeZone}"` }]
  : []);

/** cert-manager issuers named by annotations (Gateway, Ingress). */
const issuers: Rule = (obj) => {
  const annotations = annotationsOf(obj);
  const out: Array<Omit<Need, 'object'>> = [];
  for (const [key, what] of [['cert-manager.io/cluster-issuer', 'ClusterIssuer'], ['cert-manager.io/issuer', 'Issuer']] as const) {
    const name = annotations[key];
    if (name === undefined) continue;
    const where = what === 'Issuer' ? ` in namespace "${obj.metadata.namespace}"` : '';
    out.push({ category: 'issuer', requirement: `cert-manager ${what} "${name}"${where}`, reason: `annotation ${key}` });
    if (obj.kind === 'Gateway') out.push({ category: 'issuer', requirement: 'cert-manager with Gateway API support enabled', reason: 'certificates for Gateway listeners' });
  }
  return out;
};

/** Monitors and rules are loaded only by a Prometheus whose selectors match their labels. */
const prometheusSelectors: Rule = (obj) => {
  if (groupOf(obj.apiVersion) !== 'monitoring.coreos.com') return [];
  const field = { ServiceMonitor: 'serviceMonitorSelector', PodMonitor: 'podMonitorSelector', PrometheusRule: 'ruleSelector' }[obj.kind as string];
  if (field === undefined) return [];
  const own = Object.fromEntries(Object.entries(labelsOf(obj)).filter(([k]) => !k.startsWith('app.kubernetes.io/')));
  return [Object.keys(own).length > 0
    ? { category: 'prometheus', requirement: `a Prometheus whose ${field} matches ${selector(own)}`, reason: `${obj.kind} labels` }
    : {
      category: 'prometheus',
      requirement: `a Prometheus whose ${field} is empty (selects everything): these objects carry no selector label such as release: <name>`,
      reason: `${obj.kind} labels (metrics.labels adds some)`,
    }];
};

/** The Prometheus an analysis queries. */
const analysisPrometheus: Rule = (obj) => (groupOf(obj.apiVersion) === 'argoproj.io' && obj.kind === 'AnalysisTemplate'
  ? [...new Set<string>((obj.spec?.metrics ?? []).map((m: any) => m?.provider?.prometheus?.address).filter((a: unknown) => typeof a === 'string'))]
    .map(address => ({ category: 'prometheus' as const, requirement: `Prometheus answering at ${address}`, reason: 'analysis queries' }))
  : []);

/** NetworkPolicy egress the namespace's pods rely on: DNS (port 53) and the mesh control plane (15012). */
const allowedServices: Rule = (obj) => {
  if (groupOf(obj.apiVersion) !== 'networking.k8s.io' || obj.kind !== 'NetworkPolicy') return [];
  const out: Array<Omit<Need, 'object'>> = [];
  for (const rule of obj.spec?.egress ?? []) {
    const ports: number[] = (rule.ports ?? []).map((p: { port?: number }) => p.port);
    for (const peer of rule.to ?? []) {
      const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      const pods = peer.podSelector?.matchLabels;
      if (namespace === undefined || pods === undefined) continue;
      if (ports.includes(53)) {
        out.push({ category: 'dns', requirement: `cluster DNS pods ${selector(pods)} in namespace "${namespace}" answering on port 53 (UDP and TCP)`, reason: 'DNS egress allowance' });
      }
      if (ports.includes(15012) && pods.app === 'istiod') {
        out.push({ category: 'mesh', requirement: `Istio control plane at istiod.${namespace}.svc:15012 (pods ${selector(pods)} in namespace "${namespace}")`, reason: 'istiod egress allowance' });
      }
    }
  }
  return out;
};

/** Argo CD Applications: their project, and a controller watching their namespace. */
const argoApplications: Rule = (obj) => (groupOf(obj.apiVersion) === 'argoproj.io' && obj.kind === 'Application'
  ? [{ category: 'controller', requirement: `Argo CD AppProject "${obj.spec?.project}" allowing the Application's repository and destination`, reason: 'spec.project' },
    ...(obj.metadata?.namespace !== 'argocd' ? [{ category: 'controller' as const, requirement: `Argo CD watching Applications in namespace "${obj.metadata?.namespace}" (applications in any namespace)`, reason: 'Application namespace' }] : [])]
  : []);

/** Every rule, applied to every object. */
const RULES: readonly Rule[] = [
  customResources, gatewayClasses, sidecarInjection, nativeSidecars, cronTimeZones, issuers,
  prometheusSelectors, analysisPrometheus, allowedServices, argoApplications,
];

/** What each object needs, object by object. */
export function needsOf(objects: readonly Manifest[]): Need[] {
  return objects.flatMap(obj => RULES.flatMap(rule => rule(obj).map(need => ({ ...need, object: describe(obj) }))));
}
