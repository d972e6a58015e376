import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as plus28 from 'cdk8s-plus-28';
import * as plus33 from 'cdk8s-plus-33';
import { Autoscaled, isPlusWorkload, NetworkPolicyBundle, SecureNamespace, WebApp } from '../src';
import { findObject, Manifest, synthValid } from './harness';

const IMAGE = 'ghcr.io/acme/legacy:3.1.0';

/** cdk8s-plus does not drop capabilities or set seccomp by default; the harness insists on both. */
function hardenToRestricted(workload: { readonly node: unknown }): void {
  ApiObject.of(workload as never).addJsonPatch(
    JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  );
}

function policy(objects: Manifest[], name: string): any {
  return findObject(objects, 'NetworkPolicy', name);
}

describe('cdk8s-plus workloads of two majors side by side', () => {
  // GIVEN one App with a plus-28 Deployment, a plus-33 Deployment and a plus-33 StatefulSet
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'namespace', { name: 'shop', istio: false });
  const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
  const legacy = new plus28.Deployment(chart, 'legacy', {
    containers: [{
      image: IMAGE,
      portNumber: 9000,
      resources: { cpu: { request: plus28.Cpu.millis(100) }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(128) } },
    }],
  });
  const api = new plus33.Deployment(chart, 'api', {
    containers: [{
      image: 'ghcr.io/acme/api:2.0.0',
      portNumber: 8080,
      resources: { cpu: { request: plus33.Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } },
    }],
  });
  const db = new plus33.StatefulSet(chart, 'db', {
    containers: [{
      image: 'docker.io/library/postgres:16.2',
      portNumber: 5432,
      // (cdk8s-plus writes sizes in Mi: Size.gibibytes(1) would be "1024Mi", which the harness rejects as non-canonical)
      resources: { cpu: { request: plus33.Cpu.millis(500) }, memory: { request: Size.mebibytes(768), limit: Size.mebibytes(768) } },
    }],
  });
  [legacy, api, db].forEach(hardenToRestricted);

  // WHEN autoscalers and flows name them
  new Autoscaled(chart, 'legacy-scaling', { target: legacy, maxReplicas: 4 });
  new Autoscaled(chart, 'db-scaling', { target: db, maxReplicas: 3, memoryUtilization: 80 });
  new NetworkPolicyBundle(chart, 'network')
    .allow(web, api)
    .allow(api, db)
    .allow(legacy, web)
    .allowEgress(legacy, { cidr: '10.20.0.0/16', ports: [5432] });
  const objects = synthValid(app);

  test('recognises each major by its shape', () => {
    expect([legacy, api, db].map(isPlusWorkload)).toEqual([true, true, true]);
    expect(isPlusWorkload(web)).toBe(false);
    expect(isPlusWorkload(new plus33.Service(new Chart(new App(), 'x'), 'svc', { ports: [{ port: 80 }] }))).toBe(false);
  });

  test('scales a plus-28 Deployment and a plus-33 StatefulSet, which then omit replicas', () => {
    expect(findObject(objects, 'HorizontalPodAutoscaler', legacy.name).spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: legacy.name });
    expect(findObject(objects, 'HorizontalPodAutoscaler', db.name).spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: db.name });
    expect(findObject(objects, 'Deployment', legacy.name).spec.replicas).toBeUndefined();
    expect(findObject(objects, 'StatefulSet', db.name).spec.replicas).toBeUndefined();
  });

  test('opens flows to and from them on their container ports, selecting their pods by their own labels', () => {
    const toApi = policy(objects, `${api.name}-from-web`);
    expect(toApi.spec.podSelector).toEqual({ matchLabels: api.matchLabels });
    expect(toApi.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: web.selector } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy(objects, `${db.name}-from-${api.name}`).spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
    expect(policy(objects, `${legacy.name}-to-web`).spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: web.selector } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('opens egress to a CIDR for the plus-28 Deployment alone', () => {
    expect(policy(objects, `${legacy.name}-egress`).spec).toEqual({
      podSelector: { matchLabels: legacy.matchLabels }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
  });

  test('fails when a second autoscaler targets a plus-33 Deployment', () => {
    const c = new Chart(new App(), 'test');
    const d = new plus33.Deployment(c, 'plain', { containers: [{ image: IMAGE }] });
    new Autoscaled(c, 'one', { target: d, maxReplicas: 3 });
    expect(() => new Autoscaled(c, 'two', { target: d, maxReplicas: 3 })).toThrow(/test\/two: invalid target "test\/plain": already has an autoscaler/);
  });

  test('fails when allow() names a port a plus-33 workload does not declare', () => {
    const c = new Chart(new App(), 'test', { namespace: 'shop' });
    const d = new plus33.Deployment(c, 'plain', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    const w = new WebApp(c, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
    expect(() => new NetworkPolicyBundle(c, 'net').allow(w, d, 9090)).toThrow(/test\/net: invalid allow\.port 9090: test\/plain \(".*"\) does not listen on container port 9090, .* it exposes 8080/);
  });
});

describe('the library without cdk8s-plus', () => {
  test('no source file imports cdk8s-plus at run time (type-only imports at most)', () => {
    const files = fs.readdirSync(path.join(__dirname, '..', 'src'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'));
    const offenders = files.filter(file => /^import (?!type )[^;]*from 'cdk8s-plus-\d+'/m.test(fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8'))
      || /require\(['"]cdk8s-plus/.test(fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('loads and synthesises with every cdk8s-plus major hidden from module resolution', () => {
    const hide = path.join(__dirname, 'fixtures', 'hide-cdk8s-plus.js');
    const script = [
      "const lib = require('./src');",
      "const { Chart, Testing } = require('cdk8s');",
      "const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });",
      "const worker = new lib.Worker(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });",
      "new lib.Autoscaled(chart, 'scaling', { target: worker, maxReplicas: 3 });",
      "let hidden = false; try { require('cdk8s-plus-33'); } catch { hidden = true; }",
      'console.log(JSON.stringify({ hidden, kinds: Testing.synth(chart).map(o => o.kind) }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['-r', hide, '-r', 'tsx/cjs', '-e', script], { cwd: path.join(__dirname, '..'), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ hidden: true, kinds: ['ServiceAccount', 'Deployment', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'] });
  });
});

describe('cdk8s-plus workloads in a SecureNamespace meet its Pod Security level at synth', () => {
  // Pod Security admission refuses the pods of a workload that breaks the namespace's `enforce`
  // level (https://kubernetes.io/docs/concepts/security/pod-security-admission/); on main before
  // this change these synthesised and the Deployment never got a pod.
  function world(podSecurity: 'restricted' | 'baseline' | 'privileged', workload: (chart: Chart) => void): () => unknown {
    // (Testing.app() synthesises into a temporary folder, never into the repository's dist/)
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: false, podSecurity });
    workload(chart);
    return () => app.synth();
  }
  const partlyHardened = (chart: Chart) => new plus33.Deployment(chart, 'api', {
    // cdk8s-plus's defaults: non-root, read-only root filesystem, no privilege escalation, but
    // capabilities not dropped and no seccomp profile
    containers: [{ image: 'ghcr.io/acme/api:2.0.0', portNumber: 8080 }],
  });

  test('a partly hardened plus-33 Deployment in a restricted namespace is an error naming what fails', () => {
    expect(world('restricted', partlyHardened)).toThrow(
      /shop\/api: Deployment "shop-api-c8[0-9a-z]+" runs pods that the Pod Security level "restricted" of namespace "shop" \(shop\/ns\) refuses at admission: spec\.containers\[0\]\.securityContext\.capabilities\.drop: capabilities\.drop must include ALL; spec\.containers\[0\]\.securityContext\.seccompProfile\.type: seccompProfile\.type must be RuntimeDefault or Localhost.*\. Harden the pods \(a cdk8s-plus workload: set its containers' securityContext and the pod's, or patch them with ApiObject\.of\(workload\)\.addJsonPatch\), or lower the SecureNamespace's podSecurity/);
  });

  test('the same Deployment hardened (plus-28 too), or in a baseline or privileged namespace, passes', () => {
    expect(world('restricted', chart => hardenToRestricted(partlyHardened(chart)))).not.toThrow();
    expect(world('restricted', chart => hardenToRestricted(new plus28.Deployment(chart, 'legacy', { containers: [{ image: IMAGE, portNumber: 9000 }] })))).not.toThrow();
    expect(world('baseline', partlyHardened)).not.toThrow();
    expect(world('privileged', partlyHardened)).not.toThrow();
  });

  test('a plus-28 StatefulSet and a privileged container in a baseline namespace fail too', () => {
    expect(world('restricted', chart => new plus28.StatefulSet(chart, 'db', { containers: [{ image: IMAGE, portNumber: 5432 }] })))
      .toThrow(/shop\/db: StatefulSet "[^"]+" runs pods that the Pod Security level "restricted"/);
    expect(world('baseline', chart => new plus33.Deployment(chart, 'agent', {
      containers: [{ image: IMAGE, securityContext: { privileged: true, allowPrivilegeEscalation: true } }],
    }))).toThrow(/Pod Security level "baseline" of namespace "shop" \(shop\/ns\) refuses at admission: spec\.containers\[0\]\.securityContext\.privileged: privileged must be unset or false/);
  });

  test('the library\'s own workload patched out of the level is caught the same way', () => {
    expect(world('restricted', chart => {
      const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
      ApiObject.of(web.deployment).addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation', true));
    })).toThrow(/shop\/web: Deployment "web" runs pods that the Pod Security level "restricted" .*allowPrivilegeEscalation must be false/);
  });
});
