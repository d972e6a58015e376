import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
import { parseAllDocuments } from 'yaml';
import { CRDS_DIR, generateCrds, SOURCES } from '../projenrc/generate-crds';
import { CanaryRelease, NetworkPolicyBundle, SecureNamespace, WebApp } from '../src';
import { matchers } from '../src/testing';
import { hardenedDeployment } from './harness/fixtures';
import { resolveOptionalPeer } from '../src/testing/optional-peer';

// The kit is what users import as `cloudnative-constructs/testing`; importing it registered the
// matchers. Failure messages are compared without colours, exactly as users read them.
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (e) {
    return plain((e as Error).message);
  }
  throw new Error('the assertion passed');
}

/** Every object of the committed example output (dist/): each kind the library writes. */
function committedExampleObjects(): any[] {
  const files: string[] = [];
  const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') && files.push(path.join(dir, e.name))));
  walk(path.join(__dirname, '..', 'dist'));
  return files.flatMap(f => parseAllDocuments(fs.readFileSync(f, 'utf8')).map(d => d.toJSON())).filter(o => o?.kind);
}

/** A user's chart: a locked-down namespace, a web app allowed to reach a canary API, an admin app. */
function shop(): { chart: Chart; web: WebApp; api: CanaryRelease; admin: WebApp } {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new SecureNamespace(chart, 'ns', { name: 'shop', istio: false });
  const web = new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2' });
  const api = new CanaryRelease(chart, 'api', {
    port: 8080, stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10,
  });
  const admin = new WebApp(chart, 'admin', { image: 'ghcr.io/acme/admin:1.0.0' });
  new NetworkPolicyBundle(chart, 'net').allow(web, api, 8080);
  return { chart, web, api, admin };
}

describe('registration', () => {
  test('importing the kit extends the global expect with every matcher', () => {
    // GIVEN the kit imported above; THEN each matcher is callable on expect(...)
    for (const name of Object.keys(matchers)) expect(typeof (expect(1) as any)[name]).toBe('function');
    expect(Object.keys(matchers).sort()).toEqual(['toAllowTraffic', 'toBeValidKubernetes', 'toDenyTraffic', 'toHaveObject', 'toPassPodSecurity']);
  });
});

describe('toPassPodSecurity', () => {
  test('passes for the constructs\' pods, restricted by default and baseline', () => {
    const { chart } = shop();
    expect(chart).toPassPodSecurity();
    expect(chart).toPassPodSecurity('baseline');
  });

  test('fails naming the object, the field and the rule', () => {
    // GIVEN a Deployment whose container may escalate privileges and adds NET_ADMIN
    const d = hardenedDeployment('web');
    const c = d.spec.template.spec.containers[0];
    c.securityContext.allowPrivilegeEscalation = true;
    c.securityContext.capabilities.add = ['NET_ADMIN'];
    // THEN restricted names both violations
    expect(failure(() => expect([d]).toPassPodSecurity())).toBe([
      'expect(received).toPassPodSecurity()',
      '',
      'Expected: every pod template to meet the Pod Security Standards "restricted" profile',
      'Received: 2 violations:',
      '  - Deployment shop/web at spec.template.spec.containers[0].securityContext.capabilities.add[0]: Pod Security Standards: capability "NET_ADMIN" may not be added (only NET_BIND_SERVICE)',
      '  - Deployment shop/web at spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: Pod Security Standards: allowPrivilegeEscalation must be false',
    ].join('\n'));
    // AND baseline only the capability (privilege escalation is a restricted control)
    expect(failure(() => expect(d).toPassPodSecurity('baseline'))).toBe([
      'expect(received).toPassPodSecurity("baseline")',
      '',
      'Expected: every pod template to meet the Pod Security Standards "baseline" profile',
      'Received: 1 violation:',
      '  - Deployment shop/web at spec.template.spec.containers[0].securityContext.capabilities.add[0]: Pod Security Standards: capability "NET_ADMIN" may not be added (only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)',
    ].join('\n'));
  });

  test('baseline accepts what only restricted forbids, and rejects host namespaces', () => {
    const d = hardenedDeployment('web');
    delete d.spec.template.spec.securityContext.runAsNonRoot;
    d.spec.template.spec.containers[0].securityContext.capabilities = { add: ['CHOWN'] };
    expect(d).toPassPodSecurity('baseline');
    expect(d).not.toPassPodSecurity();
    d.spec.template.spec.hostNetwork = true;
    expect(failure(() => expect(d).toPassPodSecurity('baseline'))).toContain('Deployment shop/web at spec.template.spec.hostNetwork: Pod Security Standards: hostNetwork must be unset or false');
  });

  test('.not fails when every pod meets the profile', () => {
    expect(failure(() => expect(hardenedDeployment('web')).not.toPassPodSecurity())).toBe([
      'expect(received).not.toPassPodSecurity()',
      '',
      'Expected: some pod template to violate the Pod Security Standards "restricted" profile',
      'Received: 1 pod template, all meeting it (Deployment shop/web)',
    ].join('\n'));
  });

  test('fails when the level is not a profile it checks, or the value is not manifests', () => {
    expect(failure(() => expect([]).toPassPodSecurity('privileged' as any))).toMatch(/the level must be "restricted" or "baseline", received "privileged"/);
    expect(failure(() => expect(42).toPassPodSecurity())).toMatch(/Matcher error: expected a cdk8s App, Chart or ApiObject, or synthesised manifests/);
  });
});

describe('toAllowTraffic / toDenyTraffic', () => {
  test('read the synthesised NetworkPolicies: the allowed flow, and what stays denied', () => {
    const { chart, web, api, admin } = shop();
    // constructs, Service names and workload names all work as endpoints
    expect(chart).toAllowTraffic(web, api, 8080);
    expect(chart).toAllowTraffic('shop/web', 'api', 8080);
    expect(chart).toAllowTraffic('web', 'shop/api-canary');
    expect(chart).toDenyTraffic(api, web);
    expect(chart).toDenyTraffic(admin, api, 8080);
    expect(chart).not.toAllowTraffic('admin', 'web');
  });

  test('toAllowTraffic fails naming each denied pair and the side whose policies deny it', () => {
    const { chart, admin, api } = shop();
    expect(failure(() => expect(chart).toAllowTraffic(admin, api, 8080))).toBe([
      'expect(received).toAllowTraffic(from, to, port)',
      '',
      'Expected: shop/admin → shop/api:8080 to be allowed by the NetworkPolicies',
      'Received:',
      '  - shop/admin → shop/api-stable:8080 is denied: no ingress rule of shop/api-stable admits it (NetworkPolicies selecting it: default-deny, api-from-web); no egress rule of shop/admin admits it (NetworkPolicies selecting it: default-deny, allow-dns)',
      '  - shop/admin → shop/api-canary:8080 is denied: no ingress rule of shop/api-canary admits it (NetworkPolicies selecting it: default-deny, api-from-web); no egress rule of shop/admin admits it (NetworkPolicies selecting it: default-deny, allow-dns)',
    ].join('\n'));
  });

  test('toDenyTraffic fails naming the allowed pairs', () => {
    const { chart } = shop();
    expect(failure(() => expect(chart).toDenyTraffic('web', 'api'))).toBe([
      'expect(received).toDenyTraffic(from, to)',
      '',
      'Expected: web → api to be denied by the NetworkPolicies',
      'Received:',
      '  - shop/web → shop/api-stable:8080 is allowed',
      '  - shop/web → shop/api-canary:8080 is allowed',
    ].join('\n'));
  });

  test('fails when an endpoint is unknown or the receiver does not listen on the port', () => {
    const { chart } = shop();
    expect(failure(() => expect(chart).toAllowTraffic('web', 'billing'))).toMatch(/no workload or Service named "billing" \(workloads: shop\/web, shop\/api-stable, shop\/api-canary, shop\/admin\)/);
    expect(failure(() => expect(chart).toAllowTraffic('web', 'api', 9090))).toMatch(/shop\/api-stable does not listen on port 9090 \(its container ports: 8080 \(http\)\)/);
    expect(failure(() => expect(chart).toAllowTraffic('web', 'api', 'admin'))).toMatch(/shop\/api-stable does not listen on port "admin" \(its container ports: 8080 \(http\)\)/);
  });

  test('take every endpoint allow() takes: cdk8s-plus workloads and named ports', () => {
    // on main before this change: "a traffic endpoint is a workload construct or a "<namespace>/<name>"
    // string, received [object Object]" for the plus Deployment, which allow() accepts
    const { chart, web } = shop();
    const legacy = new plus33.Deployment(chart, 'legacy', { containers: [{ image: 'ghcr.io/acme/legacy:3.1.0', portNumber: 9000, ports: [{ name: 'admin', number: 9901 }] }] });
    // the namespace is Pod Security restricted, which the SecureNamespace checks for cdk8s-plus pods too
    ApiObject.of(legacy).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    );
    new NetworkPolicyBundle(chart, 'legacy-net').allow(web, legacy, 'admin');
    expect(chart).toAllowTraffic(web, legacy, 'admin');
    expect(chart).toAllowTraffic(web, legacy, 9901);
    expect(chart).toDenyTraffic(web, legacy, 9000);
    expect(chart).toDenyTraffic(legacy, web);
    expect(failure(() => expect(chart).toAllowTraffic(web, legacy, 9000))).toContain(`shop/web → shop/${legacy.name}:9000 is denied: no ingress rule`);
  });
});

describe('toHaveObject', () => {
  test('finds an object by kind and name, and matches a partial object like toMatchObject', () => {
    const { chart } = shop();
    expect(chart).toHaveObject('Service', 'web');
    expect(chart).toHaveObject('Deployment', 'api-canary', { spec: { template: { spec: { containers: [expect.objectContaining({ image: 'ghcr.io/acme/api:2.1.0' })] } } } });
    expect(chart).not.toHaveObject('ResourceQuota', 'shop');
  });

  test('fails listing the objects there are when none matches kind and name', () => {
    const objects = [hardenedDeployment('web'), hardenedDeployment('api')];
    expect(failure(() => expect(objects).toHaveObject('Deployment', 'billing'))).toBe([
      'expect(received).toHaveObject(kind, name)',
      '',
      'Expected: an object Deployment "billing"',
      'Received: none among 2 objects: Deployment shop/web, Deployment shop/api',
    ].join('\n'));
  });

  test('fails with a diff of the fields that differ', () => {
    expect(failure(() => expect(hardenedDeployment('web')).toHaveObject('Deployment', 'web', { spec: { replicas: 3 } }))).toBe([
      'expect(received).toHaveObject(kind, name, partial)',
      '',
      'Deployment shop/web does not contain the expected fields',
      '',
      '- Expected  - 1',
      '+ Received  + 1',
      '',
      '  Object {',
      '    "spec": Object {',
      '-     "replicas": 3,',
      '+     "replicas": 2,',
      '    },',
      '  }',
    ].join('\n'));
  });
});

describe('toBeValidKubernetes', () => {
  test('passes for the constructs\' Kubernetes objects, and fails on a kind no schema defines unless asked', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: false, quota: { cpu: '4', memory: '8Gi' } });
    new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', ingress: { host: 'shop.example.com', tls: true } });
    expect(chart).toBeValidKubernetes();
    const custom = [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } }];
    expect(custom).toBeValidKubernetes({ unknownKinds: 'ignore' });
    expect(failure(() => expect(custom).toBeValidKubernetes())).toMatch(/Widget shop\/w at apiVersion: unknown kind example\.com\/v1 Widget: not built into Kubernetes 1\.28 nor defined in the shipped CRDs \(pass its CustomResourceDefinition in `crds`, or `unknownKinds: 'ignore'`\)/);
  });

  test('validates every custom kind the library writes against the CRD schemas it ships, strictly', () => {
    // on main before this change: "unknown kind networking.istio.io/v1beta1 DestinationRule: not built
    // into Kubernetes 1.28" (no CRD schema shipped: strict mode failed on every custom kind)
    const objects = committedExampleObjects();
    const kinds = new Set(objects.filter(o => !/^(v1|apps\/v1|batch\/v1|policy\/v1|autoscaling\/v2|networking\.k8s\.io\/v1|rbac\.authorization\.k8s\.io\/v1)$/.test(o.apiVersion)).map(o => `${o.apiVersion} ${o.kind}`));
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'argoproj.io/v1alpha1 AnalysisTemplate', 'argoproj.io/v1alpha1 Application', 'argoproj.io/v1alpha1 Rollout',
      'gateway.networking.k8s.io/v1 Gateway', 'gateway.networking.k8s.io/v1 HTTPRoute',
      'monitoring.coreos.com/v1 PrometheusRule', 'monitoring.coreos.com/v1 ServiceMonitor',
      'networking.istio.io/v1beta1 DestinationRule', 'networking.istio.io/v1beta1 VirtualService', 'security.istio.io/v1beta1 PeerAuthentication',
    ]));
    expect(objects).toBeValidKubernetes();
    // WHEN a field is misspelt in each custom kind, THEN the shipped schema rejects it
    for (const kind of kinds) {
      const broken = structuredClone(objects.find(o => `${o.apiVersion} ${o.kind}` === kind)!);
      broken.spec.misspelt = true;
      expect(failure(() => expect([broken]).toBeValidKubernetes())).toContain(`at spec.misspelt: unknown field "misspelt" (not in the ${broken.kind} CRD schema)`);
    }
  });

  test('validates custom kinds against the CRD files given, which take precedence', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const api = new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
    const crds = [`${__dirname}/schemas/istio-crds.yaml`];
    expect(chart).toBeValidKubernetes({ crds });
    // WHEN a user's patch misspells a field of the VirtualService
    ApiObject.of(api.virtualService!).addJsonPatch(JsonPatch.add('/spec/http/0/timeoutt', '5s'));
    // THEN the CRD schema rejects it
    expect(failure(() => expect(chart).toBeValidKubernetes({ crds }))).toMatch(
      /Received: 1 problem:\n {2}- VirtualService shop\/api at spec\.http\[0\]\.timeoutt: unknown field "timeoutt" \(not in the VirtualService CRD schema\)$/);
    // AND a user's own CRD file wins over the shipped schema of the same kind
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kit-crds-'));
    const lenient = path.join(dir, 'virtualservice.json');
    fs.writeFileSync(lenient, JSON.stringify({
      kind: 'CustomResourceDefinition',
      spec: { group: 'networking.istio.io', names: { kind: 'VirtualService' }, versions: [{ name: 'v1beta1', served: true, schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    }));
    expect(chart).toBeValidKubernetes({ crds: [lenient] });
  });

  test('the shipped CRD schemas are those generated from test/schemas (npx projen generate-crds)', () => {
    for (const [rel, text] of generateCrds()) expect(`${rel}: ${fs.readFileSync(path.join(CRDS_DIR, rel), 'utf8') === text ? 'up to date' : 'drifted'}`).toBe(`${rel}: up to date`);
    expect(fs.readdirSync(CRDS_DIR).sort()).toEqual(['README.md', ...SOURCES.map(s => s.name)].sort());
    // every upstream CRD folder the harness validates against ships with the kit: a new one is one
    // line in SOURCES of projenrc/generate-crds.ts, then `npx projen generate-crds`
    const harnessFolders = fs.readdirSync(path.join(__dirname, 'schemas', 'crds'), { withFileTypes: true }).filter(e => e.isDirectory()).map(e => `crds/${e.name}`);
    expect(harnessFolders.filter(f => !SOURCES.some(s => s.from.includes(f)))).toEqual([]);
  });

  test('fails naming the object, the path and the unknown field or schema error', () => {
    const d = hardenedDeployment('web');
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    d.spec.replicas = 'two';
    d.metadata.labels = { 'app': 'web', 'bad label': 'x' };
    expect(failure(() => expect(d).toBeValidKubernetes())).toBe([
      'expect(received).toBeValidKubernetes()',
      '',
      'Expected: every object to be valid Kubernetes (schema, no unknown fields, metadata)',
      'Received: 3 problems:',
      '  - Deployment shop/web at spec.replicas: must be integer {"type":"integer"}',
      '  - Deployment shop/web at spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (allowed: args, command, env, envFrom, image, imagePullPolicy, lifecycle, livenessProbe, name, ports, readinessProbe, resizePolicy, resources, restartPolicy, restartPolicyRules, securityContext, startupProbe, stdin, stdinOnce, terminationMessagePath, terminationMessagePolicy, tty, volumeDevices, volumeMounts, workingDir)',
      '  - Deployment shop/web at metadata.labels: label key name "bad label" is not a qualified name of at most 63 characters',
    ].join('\n'));
  });

  test('says how to install a missing optional peer', () => {
    expect(() => resolveOptionalPeer('kubernetes-models', 'toBeValidKubernetes()', 'npm install --save-dev kubernetes-models @kubernetes/client-node', () => {
      throw new Error('Cannot find module');
    })).toThrow('toBeValidKubernetes() needs the optional peer dependency "kubernetes-models", which is not installed: npm install --save-dev kubernetes-models @kubernetes/client-node');
  });
});
