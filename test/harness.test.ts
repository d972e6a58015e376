import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ProgressiveRelease } from '../src';
import {
  findObject, isPinnedImage, Manifest, manifestProblems, polarisFindings, synthValid,
  validateManifests, validateWorkflow, validateWorkflows, HarnessOptions,
} from './harness';
import * as f from './harness/fixtures';

/** Problems as `Kind ns/name at path: message` lines, so failures print readably. */
function problems(objects: Manifest[], options?: HarnessOptions): string[] {
  return manifestProblems(objects, options).map((p) => `${p.object} at ${p.path}: ${p.message}`);
}
function expectRejected(objects: Manifest[], pattern: RegExp, options?: HarnessOptions): void {
  expect(problems(objects, options)).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
}
function expectAccepted(objects: Manifest[], options?: HarnessOptions): void {
  expect(problems(objects, options)).toEqual([]);
}
/** A hardened Deployment + its Service, with `mutate` applied to the Deployment. */
function webWith(mutate: (d: Manifest, pod: any, container: any) => void): Manifest[] {
  const d = f.hardenedDeployment();
  mutate(d, d.spec.template.spec, d.spec.template.spec.containers[0]);
  return [d, f.service()];
}

describe('synthValid', () => {
  test('returns the validated objects of a chart built from raw ApiObjects', () => {
    // GIVEN
    const chart = Testing.chart();
    for (const m of [f.hardenedDeployment(), f.service()]) new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
    // WHEN
    const objects = synthValid(chart);
    // THEN
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service']);
    expect(findObject(objects, 'Service', 'web').spec.ports[0].targetPort).toEqual('http');
  });

  test('validates every chart of an App together', () => {
    // GIVEN two charts, the Service in one and its Deployment in the other
    const app = Testing.app();
    new ApiObject(new Chart(app, 'a'), 'svc', f.service());
    new ApiObject(new Chart(app, 'b'), 'web', f.hardenedDeployment());
    // WHEN
    const objects = synthValid(app);
    // THEN
    expect(objects).toHaveLength(2);
  });

  test('throws one error naming every problem with kind, name and path', () => {
    // GIVEN
    const chart = Testing.chart();
    const d = f.hardenedDeployment();
    d.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    d.spec.template.spec.automountServiceAccountToken = true;
    new ApiObject(chart, 'web', d);
    // THEN
    expect(() => synthValid(chart)).toThrow(/Deployment shop\/web at spec\.template\.spec\.containers\[0\]\.imagePullPolcy: unknown field[\s\S]*Deployment shop\/web at spec\.template\.spec\.automountServiceAccountToken/);
  });

  test('surfaces construct validation errors of the tree', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'web', f.hardenedDeployment());
    chart.node.addValidation({ validate: () => ['replicas must be at least 2'] });
    expect(() => synthValid(chart)).toThrow(/replicas must be at least 2/);
  });

  test('skips a hardening rule when asked', () => {
    // GIVEN
    const app = new App();
    const d = f.hardenedDeployment();
    d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    new ApiObject(new Chart(app, 'c'), 'web', d);
    // THEN
    expect(() => synthValid(app)).toThrow(/readOnlyRootFilesystem/);
    expect(synthValid(app, { skipHardening: ['readOnlyRootFilesystem'] })).toHaveLength(1);
  });
});

describe('findObject', () => {
  test('fails naming the objects that exist', () => {
    expect(() => findObject([f.hardenedDeployment()], 'Service', 'web')).toThrow(/no Service named "web"; objects: Deployment shop\/web/);
  });
});

describe('Kubernetes schemas', () => {
  test('accepts a valid hardened Deployment with its Service, Ingress, HPA and PodDisruptionBudget', () => {
    expectAccepted([f.hardenedDeployment(), f.service(), f.ingress(), f.hpa(), f.pdb()]);
  });

  test('rejects an unknown field in a Deployment container', () => {
    expectRejected(webWith((_d, _p, c) => { c.imagePullPolcy = 'Always'; }), /containers\[0\]\.imagePullPolcy: unknown field "imagePullPolcy"/);
  });

  test('rejects an unknown field in metadata', () => {
    expectRejected(webWith((d) => { d.metadata.label = { a: 'b' }; }), /at metadata\.label: unknown field/);
  });

  test('rejects an unknown field inside a map of objects and in an HPA v2 metric', () => {
    const h = f.hpa();
    h.spec.metrics[0].resource.target.averageUtilisation = 70;
    expectRejected([f.hardenedDeployment(), h], /metrics\[0\]\.resource\.target\.averageUtilisation: unknown field/);
  });

  test('rejects a wrong type', () => {
    expectRejected(webWith((d) => { d.spec.replicas = 'two'; }), /at spec\.replicas: must be integer/);
  });

  test('rejects a missing required field', () => {
    expectRejected(webWith((d) => { delete d.spec.selector; }), /missingProperty.*selector/);
  });

  test('rejects an unknown apiVersion or kind', () => {
    expectRejected([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }], /unknown apiVersion\/kind apps\/v1 Deploymnet/);
    expectRejected([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }], /unknown apiVersion\/kind/);
  });

  test('leaves IntOrString and free-form values open', () => {
    expectAccepted([f.hardenedDeployment(), f.service('web', 8080)]);
  });
});

describe('object metadata', () => {
  test('rejects a label value over 63 characters', () => {
    expectRejected(webWith((d) => { d.metadata.labels['app.kubernetes.io/instance'] = 'a'.repeat(64); }),
      /Deployment .* at metadata\.labels: label app\.kubernetes\.io\/instance has an invalid value .*64 characters/);
  });

  test('rejects a Service name that is not a DNS-1123 label', () => {
    const service = f.service();
    service.metadata.name = 's'.repeat(64);
    expectRejected([f.hardenedDeployment(), service], /Service .* at metadata\.name: invalid name \(64 characters\)/);
  });

  test('rejects an annotation key whose prefix is not a DNS subdomain', () => {
    expectRejected(webWith((d) => { d.metadata.annotations = { 'Example_Com/owner': 'x' }; }), /annotation key prefix "Example_Com"/);
  });
});

describe('Istio schemas', () => {
  test('accepts a canary VirtualService, DestinationRule and a v1 PeerAuthentication', () => {
    const pa = f.peerAuthentication();
    pa.apiVersion = 'security.istio.io/v1';
    expectAccepted([...f.canarySet(), f.peerAuthentication(), pa].map((o, i) => (i === 6 ? { ...o, metadata: { ...o.metadata, name: 'strict' } } : o)));
  });

  test('checks a ServiceEntry and a Sidecar against their CRDs: unknown fields and bad enum values fail', () => {
    const entry = (spec: Record<string, unknown>) => ({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'ServiceEntry',
      metadata: { name: 'egress', namespace: 'shop' },
      spec: { hosts: ['api.stripe.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }], ...spec },
    }) as Manifest;
    const sidecar = (mode: string) => ({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'shop' },
      spec: { outboundTrafficPolicy: { mode } },
    }) as Manifest;
    expectAccepted([entry({}), sidecar('REGISTRY_ONLY')]);
    expectRejected([entry({ resolve: 'DNS' })], /ServiceEntry shop\/egress at spec\.resolve: unknown field "resolve"/);
    expectRejected([entry({ location: 'EXTERNAL' })], /ServiceEntry shop\/egress at spec\.location/);
    expectRejected([sidecar('REGISTRY')], /Sidecar shop\/default at spec\.outboundTrafficPolicy\.mode/);
  });

  test('rejects an unknown field in a VirtualService route destination', () => {
    const set = f.canarySet();
    set[3].spec.http[0].route[0].destination.subnet = 'x';
    expectRejected(set, /VirtualService shop\/api at spec\.http\[0\]\.route\[0\]\.destination\.subnet: unknown field "subnet"/);
  });

  test('rejects a wrong type and a bad enum value', () => {
    const set = f.canarySet();
    set[3].spec.http[0].retries.attempts = 'three';
    expectRejected(set, /spec\.http\[0\]\.retries\.attempts: must be integer/);
    const pa = f.peerAuthentication();
    pa.spec.mtls.mode = 'STRICTER';
    expectRejected([pa], /spec\.mtls\.mode: must be equal to one of the allowed values/);
  });

  test('rejects an unknown field in Istio metadata and an unknown Istio kind', () => {
    const pa = f.peerAuthentication();
    pa.metadata.labelz = {};
    expectRejected([pa], /metadata\.labelz: unknown field/);
    expectRejected([{ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualServce', metadata: { name: 'x' } }], /unknown Istio kind/);
  });
});

describe('ArgoCD schemas', () => {
  test('accepts an Application', () => {
    expectAccepted([f.argoApplication()]);
  });

  test('rejects an unknown field in an Application source', () => {
    const app = f.argoApplication();
    app.spec.source.revision = 'main';
    expectRejected([app], /Application argocd\/shop at spec\.source\.revision: unknown field "revision"/);
  });

  test('rejects a missing required field and an unsupported kind', () => {
    const app = f.argoApplication();
    delete app.spec.destination;
    expectRejected([app], /missingProperty.*destination/);
    expectRejected([{ ...f.argoApplication(), kind: 'Workflow' }], /unsupported ArgoCD kind/);
  });
});

describe('Pod Security Standards (restricted)', () => {
  const cases: Array<[string, (d: Manifest, pod: any, c: any) => void, RegExp]> = [
    ['hostNetwork', (_d, p) => { p.hostNetwork = true; }, /spec\.hostNetwork: Pod Security Standards/],
    ['hostPID', (_d, p) => { p.hostPID = true; }, /spec\.hostPID: Pod Security Standards/],
    ['hostIPC', (_d, p) => { p.hostIPC = true; }, /spec\.hostIPC: Pod Security Standards/],
    ['a privileged container', (_d, _p, c) => { c.securityContext.privileged = true; }, /securityContext\.privileged: Pod Security Standards/],
    ['an added capability other than NET_BIND_SERVICE', (_d, _p, c) => { c.securityContext.capabilities.add = ['CHOWN']; }, /capabilities\.add\[0\]: Pod Security Standards: capability "CHOWN"/],
    ['capabilities that do not drop ALL', (_d, _p, c) => { c.securityContext.capabilities.drop = ['NET_RAW']; }, /capabilities\.drop: Pod Security Standards: capabilities\.drop must include ALL/],
    ['a hostPath volume', (_d, p) => { p.volumes.push({ name: 'h', hostPath: { path: '/' } }); }, /volumes\[1\]: Pod Security Standards: hostPath/],
    ['a volume type outside the restricted list', (_d, p) => { p.volumes.push({ name: 'n', nfs: { server: 'nfs', path: '/' } }); }, /volumes\[1\]: Pod Security Standards: volume type "nfs"/],
    ['a hostPort', (_d, _p, c) => { c.ports[0].hostPort = 8080; }, /ports\[0\]\.hostPort: Pod Security Standards/],
    ['an unmasked procMount', (_d, _p, c) => { c.securityContext.procMount = 'Unmasked'; }, /procMount: Pod Security Standards/],
    ['a custom SELinux type', (_d, p) => { p.securityContext.seLinuxOptions = { type: 'spc_t' }; }, /seLinuxOptions\.type: Pod Security Standards/],
    ['an SELinux user', (_d, _p, c) => { c.securityContext.seLinuxOptions = { user: 'root' }; }, /seLinuxOptions\.user: Pod Security Standards/],
    ['an unsafe sysctl', (_d, p) => { p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }, /sysctls\[0\]: Pod Security Standards: sysctl "kernel\.msgmax"/],
    ['an unconfined AppArmor annotation', (d) => { d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/web': 'unconfined' }; }, /AppArmor profile "unconfined"/],
    ['runAsNonRoot missing everywhere', (_d, p) => { delete p.securityContext.runAsNonRoot; }, /securityContext\.runAsNonRoot: Pod Security Standards: runAsNonRoot must be true/],
    ['runAsNonRoot false on a container', (_d, _p, c) => { c.securityContext.runAsNonRoot = false; }, /containers\[0\]\.securityContext\.runAsNonRoot: Pod Security Standards/],
    ['runAsUser 0', (_d, _p, c) => { c.securityContext.runAsUser = 0; }, /securityContext\.runAsUser: Pod Security Standards: runAsUser must not be 0/],
    ['no seccomp profile', (_d, p) => { delete p.securityContext.seccompProfile; }, /seccompProfile\.type: Pod Security Standards: seccompProfile\.type must be RuntimeDefault or Localhost/],
    ['an Unconfined seccomp profile on a container', (_d, _p, c) => { c.securityContext.seccompProfile = { type: 'Unconfined' }; }, /containers\[0\]\.securityContext\.seccompProfile\.type: Pod Security Standards/],
    ['allowPrivilegeEscalation unset', (_d, _p, c) => { delete c.securityContext.allowPrivilegeEscalation; }, /allowPrivilegeEscalation: Pod Security Standards/],
  ];
  test.each(cases)('rejects %s', (_name, mutate, pattern) => {
    expectRejected(webWith(mutate), pattern);
  });

  test('accepts NET_BIND_SERVICE and container-level runAsNonRoot and seccomp', () => {
    expectAccepted(webWith((_d, p, c) => {
      p.securityContext = {};
      c.securityContext = { ...c.securityContext, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } };
    }));
  });

  test('checks init and ephemeral containers too', () => {
    expectRejected(webWith((_d, p, c) => { p.initContainers = [{ ...f.copy(c), name: 'init', ports: undefined, securityContext: { ...c.securityContext, privileged: true } }]; }), /initContainers\[0\]\.securityContext\.privileged/);
    expectRejected(webWith((_d, p, c) => { p.ephemeralContainers = [{ name: 'debug', image: c.image }]; }), /ephemeralContainers\[0\]\.securityContext\.allowPrivilegeEscalation: Pod Security Standards/);
  });

  test('checks the pod templates of CronJobs and bare Pods', () => {
    const template = f.hardenedDeployment().spec.template;
    template.spec.restartPolicy = 'Never';
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'job', namespace: 'shop' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: f.copy(template) } } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', namespace: 'shop' }, spec: f.copy(template.spec) };
    expectAccepted([cron, pod]);
    cron.spec.jobTemplate.spec.template.spec.hostPID = true;
    pod.spec.hostIPC = true;
    expectRejected([cron, pod], /CronJob shop\/job at spec\.jobTemplate\.spec\.template\.spec\.hostPID: Pod Security Standards/);
    expectRejected([cron, pod], /Pod shop\/pod at spec\.hostIPC: Pod Security Standards/);
  });

  test('checks an Argo Rollouts Rollout\'s references: VirtualService route, DestinationRule subsets, AnalysisTemplates, arguments and PromQL', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new ProgressiveRelease(chart, 'api', { image: 'ghcr.io/acme/api:2.1.0', steps: [{ weight: 10, pause: '5m' }, { weight: 100 }], analysis: { successRate: 99 } });
    const objects = Testing.synth(chart) as Manifest[];
    expectAccepted(objects);
    const rollout = objects.find((o) => o.kind === 'Rollout')!;
    const template = objects.find((o) => o.kind === 'AnalysisTemplate')!;
    const istio = () => rollout.spec.strategy.canary.trafficRouting.istio;
    const broken = (mutate: () => void, pattern: RegExp) => {
      const saved = JSON.stringify([rollout.spec, template.spec]);
      mutate();
      expectRejected(objects, pattern);
      [rollout.spec, template.spec] = JSON.parse(saved);
    };
    broken(() => { istio().virtualService.routes = ['main']; }, /Rollout shop\/api at spec\.strategy\.canary\.trafficRouting\.istio\.virtualService\.routes\[0\]: VirtualService "api" has no HTTP route named "main"/);
    broken(() => { istio().destinationRule.canarySubsetName = 'preview'; }, /destinationRule\.canarySubsetName: DestinationRule "api" has no subset "preview"/);
    broken(() => { istio().virtualService.name = 'other'; }, /virtualService\.name: VirtualService "other" does not exist in the set/);
    broken(() => { rollout.spec.strategy.canary.analysis.templates[0].templateName = 'typo'; }, /templates\[0\]\.templateName: AnalysisTemplate "typo" does not exist in the set/);
    broken(() => { rollout.spec.strategy.canary.analysis.args.pop(); }, /AnalysisTemplate "api-success-rate" needs argument "canary-revision", which the Rollout does not pass/);
    broken(() => { template.spec.metrics[0].provider.prometheus.query += ' / {{args.typo}}'; }, /uses \{\{args\.typo\}\}, which spec\.args does not declare/);
    broken(() => { template.spec.metrics[0].provider.prometheus.query = 'sum(rate(x[5m])'; }, /provider\.prometheus\.query: PromQL syntax error/);
  });

  test('checks the pod template of an Argo Rollouts Rollout, and a Service selecting its pods', () => {
    const web = f.hardenedDeployment();
    const rollout: Manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2, selector: web.spec.selector, template: f.copy(web.spec.template), strategy: { canary: { steps: [{ setWeight: 50 }] } } },
    };
    expectAccepted([rollout, f.service()]);
    rollout.spec.template.spec.hostNetwork = true;
    expectRejected([rollout], /Rollout shop\/web at spec\.template\.spec\.hostNetwork: Pod Security Standards/);
    rollout.spec.template.spec.hostNetwork = undefined;
    rollout.spec.template.metadata.labels = { app: 'other' };
    expectRejected([rollout, f.service()], /Service shop\/web at spec\.selector: selects no pod template in the set/);
  });
});

describe('hardening rules', () => {
  const cases: Array<[string, (d: Manifest, pod: any, c: any) => void, RegExp]> = [
    ['readOnlyRootFilesystem', (_d, _p, c) => { delete c.securityContext.readOnlyRootFilesystem; }, /hardening\/readOnlyRootFilesystem/],
    ['resources', (_d, _p, c) => { delete c.resources.limits; }, /resources\.limits\.memory: hardening\/resources: memory limit is missing/],
    ['pinnedImage', (_d, _p, c) => { c.image = 'ghcr.io/acme/web:latest'; }, /image: hardening\/pinnedImage/],
    ['serviceAccountToken', (_d, p) => { delete p.automountServiceAccountToken; }, /automountServiceAccountToken: hardening\/serviceAccountToken/],
  ];
  test.each(cases)('rejects a pod that breaks %s, unless the rule is skipped', (rule, mutate, pattern) => {
    const set = webWith(mutate);
    expectRejected(set, pattern);
    expect(problems(set, { skipHardening: [rule as any] }).filter((p) => p.includes('hardening/'))).toEqual([]);
  });

  test('recognises pinned images', () => {
    expect(['nginx:1.25', 'ghcr.io:443/acme/web:2.0.0', `web@sha256:${'a'.repeat(64)}`].map(isPinnedImage)).toEqual([true, true, true]);
    expect(['nginx', 'nginx:latest', 'ghcr.io:443/acme/web', ''].map(isPinnedImage)).toEqual([false, false, false, false]);
    // floating tags that do not say latest
    expect(['redis:alpine', 'busybox:stable', 'node:lts', 'nginx:mainline-alpine3.18'].map(isPinnedImage)).toEqual([false, false, false, false]);
    expect(['redis:7.2.4-alpine', 'nginx:1.25-alpine3.18'].map(isPinnedImage)).toEqual([true, true]);
  });
});

describe('API server rules', () => {
  test('rejects a container port name the API server refuses, and a duplicate one', () => {
    expectRejected(webWith((_d, _p, c) => { c.ports[0].name = 'http-metrics-port'; }), /ports\[0\]\.name: port name "http-metrics-port" is longer than 15 characters/);
    expectRejected(webWith((_d, _p, c) => { c.ports[0].name = 'HTTP'; }), /port name "HTTP" must be lowercase/);
    expectRejected(webWith((_d, _p, c) => { c.ports.push({ name: '9090', containerPort: 9090 }); }), /port name "9090" must contain a letter/);
    expectRejected(webWith((_d, _p, c) => { c.ports.push({ name: 'http', containerPort: 9090 }); }), /duplicate port name "http" in the pod/);
  });

  test('rejects a controller whose selector does not match its template labels', () => {
    expectRejected(webWith((d) => { d.spec.selector.matchLabels = { app: 'other' }; }), /Deployment shop\/web at spec\.selector: `selector` does not match template `labels`/);
  });

  test('rejects a mount of an undefined volume, a duplicate mountPath and a probe of an undeclared port name', () => {
    expectRejected(webWith((_d, _p, c) => { c.volumeMounts.push({ name: 'cache', mountPath: '/cache' }); }), /volumeMounts\[1\]\.name: mounts volume "cache", which the pod does not define/);
    expectRejected(webWith((_d, p, c) => { p.volumes.push({ name: 'cache', emptyDir: {} }); c.volumeMounts.push({ name: 'cache', mountPath: '/tmp' }); }), /mountPath "\/tmp" must be unique/);
    expectRejected(webWith((_d, _p, c) => { c.readinessProbe = { httpGet: { path: '/', port: 'admin' } }; }), /probes the port named "admin"/);
  });

  test('rejects a Job pod that restarts Always and a Deployment pod that does not', () => {
    const template = f.hardenedDeployment().spec.template;
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'job', namespace: 'shop' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: f.copy(template) } } } };
    expectRejected([cron], /CronJob shop\/job at spec\.jobTemplate\.spec\.template\.spec\.restartPolicy: a Job's pods need restartPolicy Never or OnFailure/);
    expectRejected(webWith((_d, p) => { p.restartPolicy = 'Never'; }), /restartPolicy: only Always is supported/);
  });

  test('rejects Service ports without names when there are several, and duplicate names', () => {
    const svc = f.service();
    svc.spec.ports.push({ port: 81, targetPort: 'http' });
    expectRejected([f.hardenedDeployment(), svc], /spec\.ports\[1\]\.name: a Service with several ports must name each/);
    svc.spec.ports[1].name = 'http';
    expectRejected([f.hardenedDeployment(), svc], /duplicate port name "http"/);
  });
});

describe('whole-set consistency', () => {
  test('rejects two objects of the same kind and name in one namespace', () => {
    expectRejected([f.hardenedDeployment(), f.service(), f.service()], /Service shop\/web at metadata\.name: duplicate object/);
  });

  test('treats cluster-scoped kinds as one namespace', () => {
    const ns = (namespace: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', namespace } });
    expectRejected([ns('a'), ns('b')], /Namespace b\/shop at metadata\.name: duplicate object/);
  });

  test('rejects a Service whose selector matches no workload', () => {
    expectRejected([f.hardenedDeployment(), f.service('other')], /Service shop\/other at spec\.selector: selects no pod template/);
  });

  test('rejects a Service whose targetPort no selected container exposes', () => {
    expectRejected([f.hardenedDeployment(), f.service('web', 'grpc')], /spec\.ports\[0\]\.targetPort: no selected pod \(web\) has a container port named "grpc"/);
    expectRejected([f.hardenedDeployment(), f.service('web', 9090)], /has a container port 9090/);
  });

  test('rejects a Service listing a port name or number twice', () => {
    const svc = f.service();
    svc.spec.ports.push({ name: 'metrics', port: 80, targetPort: 'http' }, { name: 'http', port: 9090, targetPort: 'http' });
    expectRejected([f.hardenedDeployment(), svc], /Service shop\/web at spec\.ports\[1\]\.port: duplicate port 80\/TCP/);
    expectRejected([f.hardenedDeployment(), svc], /Service shop\/web at spec\.ports\[2\]\.name: duplicate port name "http"/);
    const udp = f.service();
    udp.spec.ports.push({ name: 'dns', port: 80, protocol: 'UDP', targetPort: 'http' });
    expectAccepted([f.hardenedDeployment(), udp]);
  });

  test('only resolves references within the same namespace', () => {
    const svc = f.service();
    svc.metadata.namespace = 'other';
    expectRejected([f.hardenedDeployment(), f.service(), svc], /Service other\/web at spec\.selector/);
  });

  test('accepts a StatefulSet mounting its claim template, governed by its headless Service', () => {
    expectAccepted(f.statefulSetWithHeadless());
  });

  test('rejects a StatefulSet whose serviceName is missing from the set, not headless, or selects other pods', () => {
    const [sts, headless] = f.statefulSetWithHeadless();
    expectRejected([sts], /StatefulSet shop\/db at spec\.serviceName: Service "db-headless" does not exist in the set/);
    expectRejected([sts, { ...headless, spec: { ...headless.spec, clusterIP: undefined } }], /Service "db-headless" is not headless/);
    expectRejected([sts, headless, { ...f.copy(headless), metadata: { name: 'other', namespace: 'shop' } }, { ...f.copy(sts), spec: { ...f.copy(sts.spec), serviceName: 'other', template: { ...f.copy(sts.spec.template), metadata: { labels: { app: 'x' } } }, selector: { matchLabels: { app: 'x' } } }, metadata: { name: 'db2', namespace: 'shop' } }],
      /StatefulSet shop\/db2 at spec\.serviceName: Service "other" does not select the StatefulSet's pods/);
  });

  test('rejects an Ingress backend that does not exist or lacks the port', () => {
    expectRejected([f.hardenedDeployment(), f.service(), f.ingress('api')], /backend\.service\.name: Service "api" does not exist/);
    expectRejected([f.hardenedDeployment(), f.service(), f.ingress('web', { name: 'https' })], /backend\.service\.port: Service "web" has no port/);
    expectAccepted([f.hardenedDeployment(), f.service(), f.ingress('web', { name: 'http' })]);
  });

  test('rejects an HPA whose target is missing or lacks the request it scales on', () => {
    expectRejected([f.hardenedDeployment(), f.hpa('api')], /spec\.scaleTargetRef\.name: Deployment "api" does not exist/);
    expectAccepted([f.hpa('api')]); // target kind not in the set: managed elsewhere
    expectRejected([...webWith((_d, _p, c) => { delete c.resources.requests.cpu; }), f.hpa()], /scales on cpu utilisation but Deployment "web" container "web" has no cpu request/, { skipHardening: ['resources'] });
  });

  test('rejects a PodDisruptionBudget that selects nothing or blocks every eviction', () => {
    expectRejected([f.hardenedDeployment(), f.pdb('api')], /PodDisruptionBudget shop\/api at spec\.selector: selects no pod template/);
    const zero = f.pdb();
    zero.spec.maxUnavailable = 0;
    expectRejected([f.hardenedDeployment(), zero], /maxUnavailable 0 blocks/);
    const all = f.pdb();
    all.spec = { minAvailable: 2, selector: all.spec.selector };
    expectRejected([f.hardenedDeployment(), all], /minAvailable 2 >= 2 selected replicas/);
  });

  test('rejects a VirtualService subset that no DestinationRule defines', () => {
    const set = f.canarySet();
    set[3].spec.http[0].route[1].destination.subset = 'preview';
    expectRejected(set, /route\[1\]\.destination\.subset: subset "preview" of host "api" is not defined/);
  });

  test('rejects route weights that do not sum to 100', () => {
    expectRejected(f.canarySet([90, 20]), /spec\.http\[0\]\.route: route weights sum to 110, not 100/);
    expectAccepted(f.canarySet([100, 0]));
  });

  test('rejects a VirtualService destination Service that does not exist, but skips external hosts', () => {
    const set = f.canarySet();
    set[3].spec.http[0].route[0].destination.host = 'api.shop.svc.cluster.local';
    set[3].spec.http[0].route[1].destination.host = 'payments';
    expectRejected(set, /route\[1\]\.destination\.host: Service "payments" does not exist/);
    set[3].spec.http[0].route[0].destination.port.number = 8443;
    expectRejected(set, /route\[0\]\.destination\.port\.number: Service "api" has no port 8443/);
    set[3].spec.http[0].route[0].destination.port.number = 80;
    set[3].spec.http[0].route[1].destination = { host: 'api.example.com' };
    expectAccepted(set);
  });

  test('rejects a DestinationRule subset that selects no pod', () => {
    const set = f.canarySet();
    set[4].spec.subsets[1].labels = { version: 'preview' };
    expectRejected(set, /DestinationRule shop\/api at spec\.subsets\[1\]\.labels: subset "canary" selects no pod/);
  });
});

describe('Gateway API consistency', () => {
  const route = (set: Manifest[]) => set[5];

  test('accepts a split HTTPRoute on an HTTPS listener, 100/0 included', () => {
    expectAccepted(f.gatewayCanarySet());
    expectAccepted(f.gatewayCanarySet([0, 100]));
  });

  test('rejects backend weights that do not sum to 100, a split without explicit weights, and a lone backend of weight 0', () => {
    expectRejected(f.gatewayCanarySet([90, 20]), /HTTPRoute shop\/api at spec\.rules\[0\]\.backendRefs: backend weights sum to 110, not 100/);
    const unweighted = f.gatewayCanarySet();
    delete route(unweighted).spec.rules[0].backendRefs[1].weight;
    expectRejected(unweighted, /spec\.rules\[0\]\.backendRefs: a rule splitting between backends must give every backend an explicit weight/);
    const lone = f.gatewayCanarySet();
    route(lone).spec.rules[0].backendRefs = [{ name: 'api-stable', port: 80, weight: 0 }];
    expectRejected(lone, /backendRefs\[0\]\.weight: the only backend has weight 0/);
  });

  test('rejects a backend Service that does not exist or lacks the port, mirrors included', () => {
    const set = f.gatewayCanarySet();
    route(set).spec.rules[0].backendRefs[1].name = 'api-preview';
    expectRejected(set, /backendRefs\[1\]\.name: Service "api-preview" does not exist in the set/);
    route(set).spec.rules[0].backendRefs[1] = { name: 'api-canary', port: 8080, weight: 10 };
    expectRejected(set, /backendRefs\[1\]\.port: Service "api-canary" has no port 8080 \(ports: 80\)/);
    route(set).spec.rules[0].backendRefs[1].port = 80;
    route(set).spec.rules[0].filters = [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 } } }];
    expectRejected(set, /filters\[0\]\.requestMirror\.backendRef\.name: Service "shadow" does not exist/);
  });

  test('rejects a parent Gateway or listener that does not exist, but skips gateways managed elsewhere', () => {
    const set = f.gatewayCanarySet();
    route(set).spec.parentRefs[0].sectionName = 'https-www';
    expectRejected(set, /parentRefs\[0\]\.sectionName: Gateway "shop\/public" has no listener "https-www" \(listeners: http, https-api\)/);
    route(set).spec.parentRefs[0] = { name: 'private', sectionName: 'https-api' };
    expectRejected(set, /parentRefs\[0\]\.name: Gateway "shop\/private" does not exist in the set \(found: public\)/);
    route(set).spec.parentRefs[0] = { name: 'public', namespace: 'edge', sectionName: 'https-api' };
    expectAccepted(set);
  });

  test('rejects a route from a namespace the listener does not accept, and hostnames no listener serves', () => {
    const set = f.gatewayCanarySet();
    route(set).metadata.namespace = 'blog';
    route(set).spec.parentRefs[0].namespace = 'shop';
    route(set).spec.rules[0].backendRefs.forEach((b: any) => { b.namespace = 'shop'; });
    expectRejected(set, /listener "https-api" of Gateway "shop\/public" does not accept routes from namespace "blog"/);
    set[0].spec.listeners[1].allowedRoutes.namespaces = { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['blog'] }] } };
    expectAccepted(set);
    route(set).spec.hostnames = ['www.example.com'];
    expectRejected(set, /spec\.hostnames: no hostname intersects listener "https-api" hostname "api\.example\.com"/);
  });

  test('rejects a route serving content on the plain-HTTP listener, with or without sectionName; a redirect route is fine', () => {
    const set = f.gatewayCanarySet();
    delete route(set).spec.parentRefs[0].sectionName;
    expectRejected(set, /parentRefs\[0\]: attaches to the plain-HTTP listener "http" of Gateway "shop\/public" and serves content there/);
    route(set).spec.parentRefs[0].sectionName = 'http';
    route(set).spec.rules = [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }];
    expectAccepted(set);
  });

  test('accepts content on the plain-HTTP listener of a gateway that serves no HTTPS (an HttpGateway)', () => {
    const set = f.gatewayCanarySet();
    route(set).spec.parentRefs[0].sectionName = 'http';
    expectRejected(set, /attaches to the plain-HTTP listener "http"/);
    set[0].spec.listeners = set[0].spec.listeners.filter((l: any) => l.protocol === 'HTTP');
    expectAccepted(set);
  });

  test('rejects a Gateway whose listener names or bindings repeat', () => {
    const set = f.gatewayCanarySet();
    set[0].spec.listeners.push({ ...set[0].spec.listeners[1] });
    expectRejected(set, /Gateway shop\/public at spec\.listeners\[2\]\.name: listener name "https-api" is used twice/);
    expectRejected(set, /spec\.listeners\[2\]\.hostname: two listeners bind port 443 for hostname "api\.example\.com"/);
  });
});

describe('Polaris', () => {
  test('rejects a danger-severity failure', () => {
    expectRejected(webWith((_d, _p, c) => { c.env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; }), /containers\[0\]: polaris\/sensitiveContainerEnvVar \(danger\)/);
  });

  test('honours the exemption annotation of a check', () => {
    expectAccepted(webWith((d, _p, c) => {
      c.env = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
      d.metadata.annotations = { 'polaris.fairwinds.com/sensitiveContainerEnvVar-exempt': 'true' };
    }));
  });

  test('rejects a Role allowing pods/exec', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'debug', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }] };
    expectRejected([role], /Role shop\/debug at : polaris\/rolePodExecAttach|Role shop\/debug: polaris\/rolePodExecAttach/);
    role.rules[0].resources = ['pods'];
    role.rules[0].verbs = ['list'];
    expectAccepted([role]);
  });

  test('agrees with the success and failure fixtures of every copied Polaris check', () => {
    // GIVEN Polaris's own fixtures (some use apiVersion v1 for every kind: fix the group)
    const dir = path.join(__dirname, 'polaris', 'fixtures');
    const apiVersions: Record<string, string> = { Deployment: 'apps/v1', PodDisruptionBudget: 'policy/v1' };
    const mismatches: string[] = [];
    let files = 0;
    // WHEN each fixture file is evaluated for its check
    for (const id of fs.readdirSync(dir).sort()) {
      for (const file of fs.readdirSync(path.join(dir, id)).sort()) {
        files++;
        const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, id, file), 'utf8')).map((d) => d.toJS()).filter(Boolean);
        const failed = docs.some((d: any) => polarisFindings({ ...d, apiVersion: apiVersions[d.kind] ?? d.apiVersion, metadata: { name: 'x', ...d.metadata } }).some((x) => x.checkId === id));
        if (failed !== file.startsWith('failure')) mismatches.push(`${id}/${file}`);
      }
    }
    // THEN only fixtures that Polaris reads through Go structs differ: it drops `add: null` and a
    // pod-level `privileged` field that PodSecurityContext lacks (our schema checks reject both first)
    expect(files).toBeGreaterThan(60);
    expect(mismatches).toEqual(['dangerousCapabilities/success.yaml', 'runAsPrivileged/success.pod.yaml', 'runAsPrivileged/success.pod_no_cont.yaml']);
  });

  test('rejects a RoleBinding to a role allowing exec, unless the check is exempted', () => {
    // GIVEN
    const binding = (roleKind: string, role: string, annotations: Record<string, string> = {}) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${role}s`, namespace: 'shop', annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-team' }],
    });
    const debug = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'debug', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods/attach'], verbs: ['get'] }] };
    // THEN
    expectRejected([binding('ClusterRole', 'admin')], /RoleBinding shop\/admins at roleRef: polaris\/rolebindingClusterRolePodExecAttach \(danger\)/);
    expectRejected([binding('ClusterRole', 'cluster-admin')], /polaris\/rolebindingClusterAdminClusterRole/);
    expectRejected([debug, binding('Role', 'debug')], /RoleBinding shop\/debugs at roleRef: polaris\/rolebindingRolePodExecAttach/);
    const anyRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    expectAccepted([anyRole, binding('ClusterRole', 'view'), binding('ClusterRole', 'team-defined-elsewhere')]);
    expectAccepted([anyRole, binding('ClusterRole', 'admin', { 'polaris.fairwinds.com/rolebindingClusterRolePodExecAttach-exempt': 'true' })]);
  });

  test('fails a RoleBinding to a ClusterRole in a namespace without Roles, as Polaris does (it looks for some Role that passes)', () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewers', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'support' }] };
    expectRejected([binding], /RoleBinding shop\/viewers at roleRef: polaris\/rolebindingRolePodExecAttach \(danger\): RoleBinding references a Role .* \(the check looks for a Role in namespace shop and finds none\)/);
    expectRejected([binding], /polaris\/rolebindingClusterAdminRole \(danger\)/);
    const inOther = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'other' }, rules: [] };
    expectRejected([inOther, binding], /polaris\/rolebindingClusterAdminRole/);
  });

  test('rejects a ClusterRoleBinding to cluster-admin', () => {
    const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'ops' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'ops' }] };
    expectRejected([crb], /ClusterRoleBinding ops at roleRef: polaris\/clusterrolebindingClusterAdmin/);
  });

  test('reports warnings without failing validation', () => {
    const [d] = webWith(() => undefined);
    expect(polarisFindings(d).map((x) => `${x.severity} ${x.checkId}`)).toEqual(expect.arrayContaining(['warning priorityClassNotSet', 'warning livenessProbeMissing']));
    expect(polarisFindings(d).filter((x) => x.severity === 'danger')).toEqual([]);
  });
});

describe('validateManifests', () => {
  test('throws one error listing every problem', () => {
    const d = f.hardenedDeployment();
    d.spec.template.spec.hostNetwork = true;
    d.spec.template.spec.containers[0].image = 'nginx';
    expect(() => validateManifests([d, f.service()])).toThrow(/manifest problems:[\s\S]*hostNetwork[\s\S]*pinnedImage/);
  });
});

describe('validateWorkflow', () => {
  const valid = [
    'name: ci',
    'on:',
    '  push:',
    '    branches: [main]',
    'permissions:',
    '  contents: read',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 10',
    '    steps:',
    '      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1',
    '      - run: npm test',
    '',
  ].join('\n');

  test('accepts a minimal valid workflow', () => {
    expect(validateWorkflow(valid, 'ci.yml')).toEqual([]);
  });

  test('rejects a workflow with an unknown key', () => {
    const errors = validateWorkflow(valid.replace('    timeout-minutes: 10', '    timeout-minutez: 10'), 'ci.yml');
    expect(errors).toEqual([expect.stringMatching(/ci\.yml \(Line: 10, Col: 5\): Unexpected value 'timeout-minutez'/)]);
  });

  test('validates several workflows in one call', () => {
    expect(validateWorkflows([{ content: valid }, { content: valid.replace('permissions:', 'permission:'), name: 'bad.yml' }]).map((e) => e.length > 0)).toEqual([false, true]);
  });
});

describe('upstream CRD schemas (Gateway API, prometheus-operator, Argo Rollouts, ArgoCD)', () => {
  const gateway = (): Manifest => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace: 'edge' },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  });
  const serviceMonitor = (): Manifest => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }] },
  });

  test('accepts a Gateway and a ServiceMonitor', () => {
    expectAccepted([gateway(), serviceMonitor()]);
  });

  test('rejects unknown fields and wrong types in Gateway API and prometheus-operator objects', () => {
    const gw = gateway();
    gw.spec.listeners[0].hostnames = ['a.example.com'];
    expectRejected([gw], /Gateway edge\/web at spec\.listeners\[0\]\.hostnames: unknown field "hostnames"/);
    const sm = serviceMonitor();
    sm.spec.endpoints[0].port = 9090;
    expectRejected([sm], /ServiceMonitor shop\/web at spec\.endpoints\[0\]\.port: must be string/);
  });

  test('rejects HTTPRoute and Ingress paths the API server refuses', () => {
    const route = (value: string): Manifest => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'edge' },
      spec: { parentRefs: [{ name: 'web' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value } }], backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    expectRejected([gateway(), route('/a//b')], /HTTPRoute edge\/web at spec\.rules\[0\]\.matches\[0\]\.path\.value: must not contain '\/\/'/);
    expectRejected([gateway(), route('/a?b')], /path\.value: must only contain valid characters/);
    const ingress = (value: string): Manifest => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: value, pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    });
    expectRejected([f.hardenedDeployment(), f.service(), ingress('/a/../b')], /Ingress shop\/web at spec\.rules\[0\]\.http\.paths\[0\]\.path: must not contain '\/\.\.\/'/);
  });

  test('rejects a ServiceMonitor that selects no Service or scrapes a port the Service lacks', () => {
    const labelled = (): Manifest => ({ ...f.service(), metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } });
    const monitor = (port: string, labels: Record<string, string> = { app: 'web' }): Manifest => ({
      ...serviceMonitor(), spec: { selector: { matchLabels: labels }, endpoints: [{ port }] },
    });
    expectAccepted([f.hardenedDeployment(), labelled(), monitor('http')]);
    expectRejected([f.hardenedDeployment(), labelled(), monitor('metrics')], /ServiceMonitor shop\/web at spec\.endpoints\[0\]\.port: no selected Service \(web\) has a port named "metrics"/);
    expectRejected([f.hardenedDeployment(), labelled(), monitor('http', { app: 'api' })], /ServiceMonitor shop\/web at spec\.selector: selects no Service of the set by its labels/);
    // a Service's selector is not its labels: an unlabelled Service is never selected
    expectRejected([f.hardenedDeployment(), f.service(), monitor('http')], /ServiceMonitor shop\/web at spec\.selector: selects no Service/);
  });

  test('rejects a PodMonitor whose port the selected pods do not declare', () => {
    const podMonitor = (port: string, labels: Record<string, string> = { app: 'web' }): Manifest => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port }] },
    });
    expectAccepted([f.hardenedDeployment(), podMonitor('http')]);
    expectRejected([f.hardenedDeployment(), podMonitor('metrics')], /PodMonitor shop\/web at spec\.podMetricsEndpoints\[0\]\.port: selected pods of Deployment "web" have no container port named "metrics"/);
    expectRejected([f.hardenedDeployment(), podMonitor('http', { app: 'api' })], /PodMonitor shop\/web at spec\.selector: selects no pod template/);
  });

  test('accepts a PrometheusRule and rejects an unknown field in a rule', () => {
    const rule = (extra: Record<string, unknown> = {}): Manifest => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { groups: [{ name: 'web', partial_response_strategy: 'warn', rules: [{ alert: 'Down', expr: 'up == 0', labels: { severity: 'page' }, ...extra }] }] },
    });
    expectAccepted([rule()]);
    expectRejected([rule({ severity: 'page' })], /PrometheusRule shop\/web at spec\.groups\[0\]\.rules\[0\]\.severity: unknown field "severity"/);
    // the CRD's Go pattern ^(?i)(abort|warn)?$ is case-insensitive
    const upper = rule();
    upper.spec.groups[0].partial_response_strategy = 'WARN';
    expectAccepted([upper]);
    upper.spec.groups[0].partial_response_strategy = 'retry';
    expectRejected([upper], /PrometheusRule shop\/web at spec\.groups\[0\]\.partial_response_strategy: must match pattern/);
  });

  test('rejects a PrometheusRule or a Grafana dashboard whose PromQL does not parse (e.g. after a JSON patch)', () => {
    const rule = (expr: string): Manifest => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { groups: [{ name: 'web', rules: [{ record: 'job:up:sum', expr: 'sum(up)' }, { alert: 'Down', expr }] }] },
    });
    expectAccepted([rule('sum by (job) (rate(http_requests_total[5m])) > 0')]);
    expectRejected([rule('sum(rate(http_requests_total[5m])')], /PrometheusRule shop\/web at spec\.groups\[0\]\.rules\[1\]\.expr: PromQL syntax error at/);
    const dashboard = (expr: string): Manifest => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-dashboard', namespace: 'shop', labels: { grafana_dashboard: '1' } },
      data: { 'web.json': JSON.stringify({ panels: [{ targets: [{ expr }] }] }) },
    });
    expectAccepted([dashboard('sum(rate(http_requests_total[5m]))')]);
    expectRejected([dashboard('sum(rate(http_requests_total[5m])) by')], /ConfigMap shop\/web-dashboard at data\.web\.json panels\[0\]\.targets\[0\]\.expr: PromQL syntax error at/);
  });

  test('rejects an unknown field in an Argo Rollouts Rollout and an ArgoCD Application', () => {
    const rollout: Manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { strategy: { canary: { steps: [{ setWeight: 10 }], stepz: [] } } },
    };
    expectRejected([rollout], /Rollout shop\/api at spec\.strategy\.canary\.stepz: unknown field "stepz"/);
    const application: Manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: { project: 'default', destination: { namespace: 'shop', server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://github.com/acme/shop.git', path: 'dist', revision: 'main' } },
    };
    expectRejected([application], /Application argocd\/shop at spec\.source\.revision: unknown field "revision"/);
  });
});
