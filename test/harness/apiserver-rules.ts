import { httpRoutePathProblems } from './gateway-path-rules';
import { containersOf, groupOf, podTemplateOf, specPath } from './pod-specs';
import { matches } from './selectors';
import { join, Manifest, Problem, problem } from './types';

// What the API server's own validation (pkg/apis/*/validation) rejects and neither the schemas
// nor the metadata checks see: port names, selector/template agreement, volume references,
// restart policies.

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Controllers whose `spec.selector` must select their own template (a Job's is generated). */
const SELECTING_CONTROLLERS = ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet'];

/** A container port name: an IANA service name (at most 15 characters, a letter, no `--`). */
export function portNameProblem(name: string): string | undefined {
  if (name.length > 15) return `port name ${JSON.stringify(name)} is longer than 15 characters`;
  if (!IANA_SVC_NAME.test(name)) return `port name ${JSON.stringify(name)} must be lowercase letters, digits and '-', starting and ending with a letter or digit`;
  if (name.includes('--')) return `port name ${JSON.stringify(name)} must not contain '--'`;
  if (!/[a-z]/.test(name)) return `port name ${JSON.stringify(name)} must contain a letter`;
  return undefined;
}

/** Rules on the pod template of a workload. */
function podProblems(obj: Manifest): Problem[] {
  const t = podTemplateOf(obj);
  if (!t) return [];
  const out: Problem[] = [];
  const sp = specPath(t);
  const key = `${groupOf(obj.apiVersion)}/${obj.kind}`;
  if (SELECTING_CONTROLLERS.includes(key) && !matches(obj.spec?.selector, t.metadata?.labels ?? {})) {
    out.push(problem(obj, 'spec.selector', '`selector` does not match template `labels`'));
  }
  const restart = t.spec?.restartPolicy;
  const jobLike = key === 'batch/Job' || key === 'batch/CronJob';
  if (jobLike && restart !== 'Never' && restart !== 'OnFailure') out.push(problem(obj, join(sp, 'restartPolicy'), `a Job's pods need restartPolicy Never or OnFailure (got ${JSON.stringify(restart)})`));
  if (SELECTING_CONTROLLERS.includes(key) && restart !== undefined && restart !== 'Always') out.push(problem(obj, join(sp, 'restartPolicy'), `only Always is supported (got ${JSON.stringify(restart)})`));

  const volumeNames = new Set<string>();
  (t.spec?.volumes ?? []).forEach((v: any, i: number) => {
    if (!DNS1123_LABEL.test(v?.name ?? '') || v.name.length > 63) out.push(problem(obj, join(join(join(sp, 'volumes'), i), 'name'), `volume name ${JSON.stringify(v?.name)} is not a DNS-1123 label`));
    if (volumeNames.has(v?.name)) out.push(problem(obj, join(join(join(sp, 'volumes'), i), 'name'), `duplicate volume name ${JSON.stringify(v?.name)}`));
    volumeNames.add(v?.name);
  });
  const claimNames = key === 'apps/StatefulSet' ? (obj.spec?.volumeClaimTemplates ?? []).map((c: any) => c?.metadata?.name) : [];
  const portNames = new Set<string>();
  for (const { container, path } of containersOf(t)) {
    (container?.ports ?? []).forEach((p: any, i: number) => {
      if (p?.name === undefined) return;
      const issue = portNameProblem(String(p.name));
      const at = join(join(join(path, 'ports'), i), 'name');
      if (issue) out.push(problem(obj, at, issue));
      if (portNames.has(p.name)) out.push(problem(obj, at, `duplicate port name ${JSON.stringify(p.name)} in the pod`));
      portNames.add(p.name);
    });
    const mountPaths = new Set<string>();
    (container?.volumeMounts ?? []).forEach((m: any, i: number) => {
      const at = join(join(path, 'volumeMounts'), i);
      if (!volumeNames.has(m?.name) && !claimNames.includes(m?.name)) out.push(problem(obj, join(at, 'name'), `mounts volume ${JSON.stringify(m?.name)}, which the pod does not define`));
      if (mountPaths.has(m?.mountPath)) out.push(problem(obj, join(at, 'mountPath'), `mountPath ${JSON.stringify(m?.mountPath)} must be unique`));
      mountPaths.add(m?.mountPath);
    });
    const names = (container?.ports ?? []).map((p: any) => p?.name);
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const port = container?.[probe]?.httpGet?.port ?? container?.[probe]?.tcpSocket?.port;
      if (typeof port === 'string' && !names.includes(port)) out.push(problem(obj, join(path, probe), `probes the port named ${JSON.stringify(port)}, which the container does not declare`));
    }
  }
  return out;
}

/** Rules on a Service's ports. */
function servicePortProblems(obj: Manifest): Problem[] {
  if (obj.kind !== 'Service' || groupOf(obj.apiVersion) !== '') return [];
  const out: Problem[] = [];
  const ports: any[] = obj.spec?.ports ?? [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = join(join('spec.ports', i), 'name');
    if (ports.length > 1 && !p?.name) out.push(problem(obj, at, 'a Service with several ports must name each'));
    if (p?.name !== undefined && (!DNS1123_LABEL.test(p.name) || p.name.length > 63)) out.push(problem(obj, at, `port name ${JSON.stringify(p.name)} is not a DNS-1123 label`));
    if (p?.name !== undefined && names.has(p.name)) out.push(problem(obj, at, `duplicate port name ${JSON.stringify(p.name)}`));
    names.add(p?.name);
    if (typeof p?.targetPort === 'string') {
      const issue = portNameProblem(p.targetPort);
      if (issue) out.push(problem(obj, join(join('spec.ports', i), 'targetPort'), issue));
    }
  });
  return out;
}

/**
 * An HTTPRoute's Exact/PathPrefix path values by the CRD's own CEL rules (gateway-path-rules.ts;
 * the harness does not evaluate CEL otherwise). Unique listener names are checked in gateway-refs.ts.
 */
function httpRoutePathRuleProblems(obj: Manifest): Problem[] {
  if (groupOf(obj.apiVersion) !== 'gateway.networking.k8s.io') return [];
  const out: Problem[] = [];
  if (obj.kind === 'HTTPRoute') {
    (obj.spec?.rules ?? []).forEach((rule: any, i: number) => (rule?.matches ?? []).forEach((match: any, j: number) => {
      const path = match?.path;
      if (path?.type === 'RegularExpression' || typeof path?.value !== 'string') return;
      for (const message of httpRoutePathProblems(path.value)) out.push(problem(obj, `spec.rules[${i}].matches[${j}].path.value`, message));
    }));
  }
  return out;
}

/** The Ingress validation of Exact/Prefix paths (pkg/apis/networking/validation: invalidPathSequences, invalidPathSuffixes). */
function ingressPathProblems(obj: Manifest): Problem[] {
  if (obj.kind !== 'Ingress' || groupOf(obj.apiVersion) !== 'networking.k8s.io') return [];
  const out: Problem[] = [];
  (obj.spec?.rules ?? []).forEach((rule: any, i: number) => (rule?.http?.paths ?? []).forEach((p: any, j: number) => {
    if (p?.pathType === 'ImplementationSpecific' || typeof p?.path !== 'string') return;
    const at = `spec.rules[${i}].http.paths[${j}].path`;
    if (!p.path.startsWith('/')) out.push(problem(obj, at, 'must be an absolute path'));
    for (const sequence of ['//', '/./', '/../', '%2f', '%2F']) if (p.path.includes(sequence)) out.push(problem(obj, at, `must not contain '${sequence}'`));
    for (const suffix of ['/..', '/.']) if (p.path.endsWith(suffix)) out.push(problem(obj, at, `cannot end with '${suffix}'`));
  }));
  return out;
}

/** Everything the API server would reject in one object that the schemas let through. */
export function apiServerProblems(obj: Manifest): Problem[] {
  return [...podProblems(obj), ...servicePortProblems(obj), ...httpRoutePathRuleProblems(obj), ...ingressPathProblems(obj)];
}
