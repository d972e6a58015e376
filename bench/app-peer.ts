/**
 * The benchmark's app written by hand with cdk8s-plus-28: the same objects as app-ours.ts.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubePodDisruptionBudget } from 'cdk8s-plus-28/lib/imports/k8s';
import { IMAGE, NAMESPACE, PORT } from './app-constants';

/** The same apps written by hand with cdk8s-plus-28. */
export function buildPeer(app: App, n: number): Chart {
  const chart = new Chart(app, 'bench', { namespace: NAMESPACE });
  new kplus.NetworkPolicy(chart, 'default-deny', {
    metadata: { name: 'default-deny' },
    selector: kplus.Pods.all(chart, 'all-pods'),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const deployments: kplus.Deployment[] = [];
  for (let i = 0; i < n; i++) {
    const name = `app-${i}`;
    const labels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': name,
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/managed-by': 'hand-written',
    };
    const serviceAccount = new kplus.ServiceAccount(chart, `${name}-sa`, {
      metadata: { name, labels },
      automountToken: false,
    });
    const deployment = new kplus.Deployment(chart, name, {
      metadata: { name, labels },
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001 },
      containers: [{
        name: 'app',
        image: IMAGE,
        portNumber: PORT,
        envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info'), INDEX: kplus.EnvValue.fromValue(String(i)) },
        resources: {
          cpu: { request: kplus.Cpu.millis(100) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
        liveness: kplus.Probe.fromHttpGet('/livez', { port: PORT }),
        securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false },
      }],
    });
    deployment.exposeViaService({ name, ports: [{ name: 'http', port: PORT, targetPort: PORT }] });
    new KubePodDisruptionBudget(chart, `${name}-pdb`, {
      metadata: { name, labels },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels } },
    });
    new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
      metadata: { name, labels },
      target: deployment,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
      scaleDown: { stabilizationWindow: Duration.minutes(5) },
    });
    deployments.push(deployment);
  }
  if (n > 1) {
    for (let i = 0; i < n; i++) {
      deployments[i].connections.allowFrom(deployments[(i + n - 1) % n], {
        ports: [kplus.NetworkPolicyPort.tcp(PORT)],
      });
    }
  }
  return chart;
}
