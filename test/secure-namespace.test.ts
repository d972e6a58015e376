import { SecureNamespace, SecureNamespaceProps } from '../src';
import { chartIn, findObject, Manifest, polarisRbacFindings, synthValid } from './harness';

function synthNamespace(props: Partial<SecureNamespaceProps> = {}): Manifest[] {
  const chart = chartIn();
  new SecureNamespace(chart, 'ns', { name: 'shop', ...props });
  return synthValid(chart);
}

function kinds(objects: Manifest[]): string[] {
  return objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
}

describe('SecureNamespace defaults', () => {
  // GIVEN a SecureNamespace with only a name
  const objects = synthNamespace();

  test('creates the namespace, resource defaults, mTLS and a default-deny with DNS and istiod egress', () => {
    expect(kinds(objects)).toEqual([
      'LimitRange/container-defaults', 'Namespace/shop', 'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-istiod',
      'NetworkPolicy/default-deny', 'PeerAuthentication/default',
    ]);
  });

  test('labels the namespace for Pod Security Admission restricted, pinned to a version, in every mode', () => {
    const labels = findObject(objects, 'Namespace', 'shop').metadata.labels;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
  });

  test('the Namespace is cluster-scoped: no metadata.namespace even in a chart with a namespace', () => {
    expect(findObject(objects, 'Namespace', 'shop').metadata.namespace).toBeUndefined();
  });

  test('enables Istio sidecar injection and STRICT mutual TLS namespace-wide', () => {
    expect(findObject(objects, 'Namespace', 'shop').metadata.labels['istio-injection']).toEqual('enabled');
    const peerAuthentication = findObject(objects, 'PeerAuthentication', 'default');
    expect(peerAuthentication.apiVersion).toEqual('security.istio.io/v1beta1');
    expect(peerAuthentication.metadata.namespace).toEqual('shop');
    expect(peerAuthentication.spec).toEqual({ mtls: { mode: 'STRICT' } });
  });

  test('does not deny by default at L7 unless asked', () => {
    expect(objects.filter(o => o.kind === 'AuthorizationPolicy')).toEqual([]);
  });

  test('denies all ingress and egress of every pod', () => {
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('still allows DNS (UDP and TCP 53) to kube-dns', () => {
    expect(findObject(objects, 'NetworkPolicy', 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('allows the sidecars to reach istiod on 15012', () => {
    expect(findObject(objects, 'NetworkPolicy', 'allow-istiod').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
        ports: [{ port: 15012, protocol: 'TCP' }],
      }],
    });
  });

  test('gives containers without resources the workloads\' own defaults: requests and a memory limit, no cpu limit', () => {
    expect(findObject(objects, 'LimitRange', 'container-defaults').spec).toEqual({
      limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' }, default: { memory: '256Mi' } }],
    });
  });

  test('puts every namespaced object in the namespace', () => {
    expect(objects.filter(o => o.kind !== 'Namespace').every(o => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('SecureNamespace props', () => {
  test('podSecurity baseline and a pinned version label every mode', () => {
    const labels = findObject(synthNamespace({ podSecurity: 'baseline', podSecurityVersion: 'latest' }), 'Namespace', 'shop').metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toEqual('baseline');
    expect(labels['pod-security.kubernetes.io/warn-version']).toEqual('latest');
  });

  test('the objects go to the namespace named, whatever the chart namespace', () => {
    const chart = chartIn(undefined);
    new SecureNamespace(chart, 'ns', { name: 'payments' });
    const objects = synthValid(chart);
    expect(findObject(objects, 'Namespace', 'payments').metadata.namespace).toBeUndefined();
    expect(findObject(objects, 'NetworkPolicy', 'default-deny').metadata.namespace).toEqual('payments');
  });

  test('quota caps cpu requests (a cpu quantity: workloads set no cpu limit), requests and limits of memory, and pods', () => {
    const objects = synthNamespace({ quota: { cpu: '8', memory: { request: '12Gi', limit: '16Gi' }, pods: 50 } });
    expect(findObject(objects, 'ResourceQuota', 'compute-quota').spec).toEqual({
      hard: { 'requests.cpu': '8', 'requests.memory': '12Gi', 'limits.memory': '16Gi', 'pods': '50' },
    });
    expect(findObject(synthNamespace({ quota: { cpu: { request: '8', limit: '16' }, memory: '32Gi' }, limits: { defaultCpu: { request: '100m', limit: '1' } } }), 'ResourceQuota', 'compute-quota').spec.hard)
      .toEqual({ 'requests.cpu': '8', 'limits.cpu': '16', 'requests.memory': '32Gi', 'limits.memory': '32Gi' });
  });

  test('no quota means no ResourceQuota', () => {
    expect(synthNamespace().filter(o => o.kind === 'ResourceQuota')).toEqual([]);
  });

  test('limits sets the LimitRange defaults; false removes it', () => {
    const objects = synthNamespace({ limits: { defaultCpu: { request: '250m' }, defaultMemory: { request: '256Mi', limit: '1Gi' } } });
    expect(findObject(objects, 'LimitRange', 'container-defaults').spec.limits[0]).toEqual({
      type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { memory: '1Gi' },
    });
    expect(synthNamespace({ limits: false }).filter(o => o.kind === 'LimitRange')).toEqual([]);
  });

  test('a default cpu limit, max and min are written only when asked', () => {
    const objects = synthNamespace({ limits: { defaultCpu: { request: '100m', limit: '2' }, max: { cpu: '4', memory: '8Gi' }, min: { cpu: '10m', memory: '16Mi' } } });
    expect(findObject(objects, 'LimitRange', 'container-defaults').spec.limits[0]).toEqual({
      type: 'Container',
      min: { cpu: '10m', memory: '16Mi' },
      defaultRequest: { cpu: '100m', memory: '256Mi' },
      default: { cpu: '2', memory: '256Mi' },
      max: { cpu: '4', memory: '8Gi' },
    });
  });

  test('istio mtls PERMISSIVE', () => {
    expect(findObject(synthNamespace({ istio: { mtls: 'PERMISSIVE' } }), 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'PERMISSIVE' } });
  });

  test('istio denyByDefault adds the allow-nothing AuthorizationPolicy (empty spec)', () => {
    const policy = findObject(synthNamespace({ istio: { denyByDefault: true } }), 'AuthorizationPolicy', 'allow-nothing');
    expect(policy.apiVersion).toEqual('security.istio.io/v1beta1');
    expect(policy.metadata.namespace).toEqual('shop');
    expect(policy.spec).toEqual({});
  });

  test('istio without injection labels the namespace disabled and allows no istiod egress', () => {
    const objects = synthNamespace({ istio: { injection: false } });
    expect(findObject(objects, 'Namespace', 'shop').metadata.labels['istio-injection']).toEqual('disabled');
    expect(objects.filter(o => o.metadata.name === 'allow-istiod')).toEqual([]);
    expect(findObject(objects, 'PeerAuthentication', 'default').spec.mtls.mode).toEqual('STRICT');
  });

  test('istio controlPlaneNamespace moves the istiod egress', () => {
    const policy = findObject(synthNamespace({ istio: { controlPlaneNamespace: 'istio-cp' } }), 'NetworkPolicy', 'allow-istiod');
    expect(policy.spec.egress[0].to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'istio-cp' });
  });

  test('istio false: no injection label, no Istio objects, no istiod egress', () => {
    const objects = synthNamespace({ istio: false });
    expect(findObject(objects, 'Namespace', 'shop').metadata.labels['istio-injection']).toBeUndefined();
    expect(objects.filter(o => o.apiVersion.startsWith('security.istio.io') || o.metadata.name === 'allow-istiod')).toEqual([]);
  });

  test('defaultDenyNetwork false: no NetworkPolicies at all', () => {
    expect(synthNamespace({ defaultDenyNetwork: false }).filter(o => o.kind === 'NetworkPolicy')).toEqual([]);
  });
});

describe('SecureNamespace access', () => {
  // GIVEN groups for each access level
  const objects = synthNamespace({ access: { admins: ['shop-ops'], editors: ['shop-developers', 'shop-contractors'], viewers: ['everyone'] } });

  test('viewers are bound to the built-in view ClusterRole', () => {
    const binding = findObject(objects, 'RoleBinding', 'viewers');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(binding.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'everyone' }]);
  });

  test('editors are bound to the namespaced editor Role, every group a subject', () => {
    const binding = findObject(objects, 'RoleBinding', 'editors');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'editor' });
    expect(binding.subjects.map((s: { name: string }) => s.name)).toEqual(['shop-developers', 'shop-contractors']);
  });

  test('the editor Role deploys and operates apps', () => {
    const rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = findObject(objects, 'Role', 'editor').rules;
    const can = (group: string, resource: string, verb: string) =>
      rules.some(r => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(can('apps', 'deployments', 'patch')).toBe(true);
    expect(can('', 'configmaps', 'create')).toBe(true);
    expect(can('', 'pods/log', 'get')).toBe(true);
    expect(can('', 'pods', 'delete')).toBe(true);
    expect(can('autoscaling', 'horizontalpodautoscalers', 'update')).toBe(true);
  });

  test('the editor Role grants no exec, attach, port-forward, nor Secrets', () => {
    const rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = findObject(objects, 'Role', 'editor').rules;
    const resources = rules.flatMap(r => r.resources);
    for (const forbidden of ['pods/exec', 'pods/attach', 'pods/portforward', 'secrets', '*']) expect(resources).not.toContain(forbidden);
    expect(rules.flatMap(r => r.verbs)).not.toContain('*');
    expect(rules.flatMap(r => r.apiGroups)).not.toContain('*');
  });

  test('admins are bound to the built-in admin ClusterRole with an explicit Polaris waiver and its reason', () => {
    const binding = findObject(objects, 'RoleBinding', 'admins');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(binding.metadata.annotations['polaris.fairwinds.com/rolebindingClusterRolePodExecAttach-exempt']).toEqual('true');
    expect(binding.metadata.annotations['cloudnative-constructs/rolebindingClusterRolePodExecAttach-exempt-reason']).toMatch(/pods\/exec/);
  });

  test('Polaris flags the admins binding without the waiver, and nothing with it', () => {
    const binding = findObject(objects, 'RoleBinding', 'admins');
    const unwaived = { ...binding, metadata: { ...binding.metadata, annotations: {} } };
    expect(polarisRbacFindings([...objects.filter(o => o !== binding), unwaived]).map(f => f.checkId)).toEqual(['rolebindingClusterRolePodExecAttach']);
    expect(polarisRbacFindings(objects)).toEqual([]);
  });

  test('every Polaris exemption carries its reason', () => {
    for (const binding of objects.filter(o => o.kind === 'RoleBinding')) {
      const annotations: Record<string, string> = binding.metadata.annotations;
      const exempt = Object.keys(annotations).filter(k => k.startsWith('polaris.fairwinds.com/')).map(k => k.replace(/^polaris\.fairwinds\.com\/(.*)-exempt$/, '$1'));
      expect(exempt.length).toBeGreaterThan(0);
      for (const check of exempt) expect(annotations[`cloudnative-constructs/${check}-exempt-reason`]).toMatch(/^.{60,}$/);
    }
  });

  // Polaris passes a RoleBinding's Role checks only when SOME Role of its namespace passes, so a
  // binding to a ClusterRole in a namespace without Roles failed rolebindingClusterAdminRole
  // (the editors' ClusterRole waivers matter in a manifest-only audit, which holds no ClusterRole;
  // the harness models a cluster audit, where the built-in ClusterRoles exist)
  test.each([
    [{ admins: ['ops'] }, 'admins', ['rolebindingClusterAdminRole', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach'], ['rolebindingClusterAdminRole', 'rolebindingClusterRolePodExecAttach', 'rolebindingRolePodExecAttach']],
    [{ viewers: ['support'] }, 'viewers', ['rolebindingClusterAdminRole', 'rolebindingRolePodExecAttach'], ['rolebindingClusterAdminRole', 'rolebindingRolePodExecAttach']],
    [{ editors: ['devs'] }, 'editors', ['rolebindingClusterAdminClusterRole', 'rolebindingClusterRolePodExecAttach'], []],
  ])('access %j alone passes every Polaris RoleBinding check, each waiver with a reason', (access, name, waived, failedWithout) => {
    // GIVEN a namespace with only this group WHEN synthesised (the harness runs the Polaris checks)
    const alone = synthNamespace({ access });
    const binding = findObject(alone, 'RoleBinding', name);
    // THEN the binding is exempted from exactly these checks, each with its reason
    expect(Object.keys(binding.metadata.annotations).filter(k => k.endsWith('-exempt')).sort())
      .toEqual(waived.map(c => `polaris.fairwinds.com/${c}-exempt`));
    expect(polarisRbacFindings(alone)).toEqual([]);
    // AND without the annotations Polaris fails it on those checks
    const bare = { ...binding, metadata: { ...binding.metadata, annotations: undefined } };
    expect(polarisRbacFindings([...alone.filter(o => o !== binding), bare]).map(f => f.checkId).sort()).toEqual(failedWithout);
  });

  test('no access means no RBAC objects', () => {
    expect(synthNamespace().filter(o => o.apiVersion.startsWith('rbac.'))).toEqual([]);
  });
});

describe('SecureNamespace bad input', () => {
  const make = (props: Partial<SecureNamespaceProps>) => () => new SecureNamespace(chartIn(), 'ns', { name: 'shop', ...props });

  test('fails when an option is not of its type', () => {
    expect(make({ defaultDenyNetwork: 'yes' as never })).toThrow(/test\/ns: invalid defaultDenyNetwork "yes": must be true or false/);
    expect(make({ istio: [] as never })).toThrow(/test\/ns: invalid istio \[\]: must be false or/);
    expect(make({ limits: [] as never })).toThrow(/test\/ns: invalid limits \[\]: must be false or/);
    expect(make({ access: ['ops'] as never })).toThrow(/test\/ns: invalid access \["ops"\]: must be an object/);
  });

  test('fails when the name is not a DNS label', () => {
    expect(make({ name: 'Shop_Prod' })).toThrow(/test\/ns: invalid name "Shop_Prod": must be a DNS-1123 label/);
    expect(make({ name: '' })).toThrow(/test\/ns: invalid name "": must be a DNS-1123 label/);
  });

  test('fails when a quota quantity is malformed', () => {
    expect(make({ quota: { cpu: '8 cores' } })).toThrow(/test\/ns: invalid quota\.cpu\.request "8 cores": must be a Kubernetes quantity/);
    expect(make({ quota: { memory: '16gb' } })).toThrow(/test\/ns: invalid quota\.memory\.request "16gb": must be a Kubernetes quantity/);
    expect(make({ quota: { memory: { request: '2Gi', limit: '1Gi' } } })).toThrow(/test\/ns: invalid quota\.memory\.limit "1Gi": must not be below the request "2Gi"/);
  });

  test('fails when the pod quota is not a positive integer, or the quota is empty', () => {
    expect(make({ quota: { pods: 2.5 } })).toThrow(/test\/ns: invalid quota\.pods 2\.5: must be an integer >= 1/);
    expect(make({ quota: {} })).toThrow(/test\/ns: invalid quota \{\}: must cap at least one/);
  });

  test('fails when a LimitRange default is malformed or its limit below its request', () => {
    expect(make({ limits: { defaultMemory: { request: '128m' } } })).toThrow(/test\/ns: invalid limits\.defaultMemory\.request "128m"/);
    expect(make({ limits: { defaultCpu: { request: '1', limit: '500m' } } })).toThrow(/test\/ns: invalid limits\.defaultCpu\.limit "500m": must not be below limits\.defaultCpu\.request "1"/);
  });

  test('fails when LimitRange bounds do not rise min ≤ default request ≤ default limit ≤ max', () => {
    expect(make({ limits: { max: { memory: '128Mi' } } })).toThrow(/test\/ns: invalid limits\.max\.memory "128Mi": must not be below limits\.defaultMemory\.request "256Mi": a LimitRange needs min ≤ default request ≤ default limit ≤ max/);
    expect(make({ limits: { min: { cpu: '200m' } } })).toThrow(/test\/ns: invalid limits\.defaultCpu\.request "100m": must not be below limits\.min\.cpu "200m"/);
    expect(make({ limits: { max: ['1'] as never } })).toThrow(/test\/ns: invalid limits\.max \["1"\]: must be an object \{ cpu\?, memory\? \}/);
    expect(make({ limits: { min: { cpu: '0' } } })).toThrow(/test\/ns: invalid limits\.min\.cpu "0": must be greater than zero/);
  });

  test('fails when podSecurity or its version is unknown', () => {
    expect(make({ podSecurity: 'strict' as never })).toThrow(/test\/ns: invalid podSecurity "strict": must be one of "restricted", "baseline", "privileged"/);
    expect(make({ podSecurityVersion: '1.28' })).toThrow(/test\/ns: invalid podSecurityVersion "1\.28": must be "latest" or a Kubernetes minor version/);
  });

  test('fails when the mTLS mode is unknown', () => {
    expect(make({ istio: { mtls: 'DISABLE' as never } })).toThrow(/test\/ns: invalid istio\.mtls "DISABLE": must be "STRICT" or "PERMISSIVE"/);
  });

  test('fails when a group name is empty, blank or repeated, or a list is empty', () => {
    expect(make({ access: { editors: [''] } })).toThrow(/test\/ns: invalid access\.editors\[0\] "": group names must be non-empty/);
    expect(make({ access: { viewers: ['devs', '  '] } })).toThrow(/test\/ns: invalid access\.viewers\[1\] " {2}": group names must be non-empty/);
    expect(make({ access: { admins: ['ops', 'ops'] } })).toThrow(/test\/ns: invalid access\.admins\[1\] "ops": lists this group twice/);
    expect(make({ access: { admins: [] } })).toThrow(/test\/ns: invalid access\.admins \[\]: must be a non-empty list of group names/);
  });

  test('fails when two SecureNamespaces declare the same namespace', () => {
    const chart = chartIn();
    new SecureNamespace(chart, 'a', { name: 'shop' });
    expect(() => new SecureNamespace(chart, 'b', { name: 'shop' })).toThrow(/test\/b: invalid name "shop": a Namespace named "shop" already exists .*created by test\/a/);
  });
});
