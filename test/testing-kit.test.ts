import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
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
  test('passes for the constructs\' Kubernetes objects, and ignores CRD kinds only when asked', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'ns', { name: 'shop', istio: false, quota: { cpu: '4', memory: '8Gi' } });
    new WebApp(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', ingress: { host: 'shop.example.com', tls: true } });
    expect(chart).toBeValidKubernetes();
    const withIstio = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new CanaryRelease(withIstio, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
    expect(withIstio).toBeValidKubernetes({ unknownKinds: 'ignore' });
    expect(failure(() => expect(withIstio).toBeValidKubernetes())).toMatch(/DestinationRule shop\/api at apiVersion: unknown kind networking\.istio\.io\/v1beta1 DestinationRule: not built into Kubernetes 1\.28 \(pass its CustomResourceDefinition in `crds`, or `unknownKinds: 'ignore'`\)/);
  });

  test('validates custom kinds against the CRD files given', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const api = new CanaryRelease(chart, 'api', { stable: { image: 'ghcr.io/acme/api:2.0.0' }, canary: { image: 'ghcr.io/acme/api:2.1.0' }, canaryWeight: 10 });
    const crds = [`${__dirname}/schemas/istio-crds.yaml`];
    expect(chart).toBeValidKubernetes({ crds });
    // WHEN a user's patch misspells a field of the VirtualService
    ApiObject.of(api.virtualService!).addJsonPatch(JsonPatch.add('/spec/http/0/timeoutt', '5s'));
    // THEN the CRD schema rejects it
    expect(failure(() => expect(chart).toBeValidKubernetes({ crds }))).toMatch(
      /Received: 1 problem:\n {2}- VirtualService shop\/api at spec\.http\[0\]\.timeoutt: unknown field "timeoutt" \(not in the VirtualService CRD schema\)$/);
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
