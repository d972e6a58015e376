import { containersOf, podTemplateOf, specPath } from './pod-specs';
import { join, joinKey, Manifest, Problem, problem } from './problems';

// Pod Security Standards, baseline + restricted, as of Kubernetes 1.28
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/).

/** A Pod Security Standards profile that can be checked (`privileged` allows everything). */
export type PodSecurityLevel = 'baseline' | 'restricted';

/** Capabilities baseline allows to add; restricted narrows the list to NET_BIND_SERVICE. */
const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const RESTRICTED_CAPS = ['NET_BIND_SERVICE'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_OK = ['RuntimeDefault', 'Localhost'];

/**
 * Checks the pod template of a workload (or a Pod) against a Pod Security Standards profile:
 * `restricted` (the default) includes every `baseline` control. Objects without a pod template
 * pass.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function podSecurityProblems(obj: Manifest, level: PodSecurityLevel = 'restricted'): Problem[] {
  const restricted = level === 'restricted';
  const t = podTemplateOf(obj);
  if (!t) return [];
  const out: Problem[] = [];
  const sp = specPath(t);
  const spec = t.spec ?? {};
  const psc = spec.securityContext ?? {};
  const pscPath = join(sp, 'securityContext');
  const fail = (path: string, msg: string) => out.push(problem(obj, path, `Pod Security Standards: ${msg}`));

  // baseline: host namespaces, HostProcess, sysctls, SELinux, seccomp, AppArmor, volumes
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) fail(join(sp, f), `${f} must be unset or false`);
  if (psc.windowsOptions?.hostProcess === true) fail(join(pscPath, 'windowsOptions.hostProcess'), 'HostProcess pods are not allowed');
  (psc.sysctls ?? []).forEach((s: any, i: number) => {
    if (!SAFE_SYSCTLS.includes(s?.name)) fail(join(join(pscPath, 'sysctls'), i), `sysctl "${s?.name}" is not in the safe set (${SAFE_SYSCTLS.join(', ')})`);
  });
  const checkSeLinux = (sc: any, path: string) => {
    const se = sc?.seLinuxOptions;
    if (!se) return;
    if (!SELINUX_TYPES.includes(se.type ?? '')) fail(join(path, 'seLinuxOptions.type'), `SELinux type "${se.type}" is not allowed (${SELINUX_TYPES.filter(Boolean).join(', ')})`);
    for (const f of ['user', 'role']) if (se[f]) fail(join(path, `seLinuxOptions.${f}`), `SELinux ${f} must not be set`);
  };
  const checkAppArmor = (sc: any, path: string) => {
    const type = sc?.appArmorProfile?.type;
    if (type !== undefined && !SECCOMP_OK.includes(type)) fail(join(path, 'appArmorProfile.type'), `AppArmor profile "${type}" is not allowed (RuntimeDefault, Localhost)`);
  };
  checkSeLinux(psc, pscPath);
  checkAppArmor(psc, pscPath);
  for (const [k, v] of Object.entries(t.metadata?.annotations ?? {})) {
    if (k.startsWith(APPARMOR_PREFIX) && v !== 'runtime/default' && !String(v).startsWith('localhost/')) {
      fail(joinKey(join(t.path ? `${t.path}.metadata` : 'metadata', 'annotations'), k), `AppArmor profile "${v}" is not allowed (runtime/default, localhost/*)`);
    }
  }
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const type = Object.keys(v ?? {}).find((k) => k !== 'name');
    if (type === 'hostPath') fail(join(join(sp, 'volumes'), i), 'hostPath volumes are not allowed');
    else if (restricted && type && !RESTRICTED_VOLUMES.includes(type)) fail(join(join(sp, 'volumes'), i), `volume type "${type}" is not allowed (${RESTRICTED_VOLUMES.join(', ')})`);
  });

  // baseline forbids an Unconfined seccomp profile; restricted requires RuntimeDefault or Localhost
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp !== undefined && (restricted ? !SECCOMP_OK.includes(podSeccomp) : podSeccomp === 'Unconfined')) {
    fail(join(pscPath, 'seccompProfile.type'), `seccompProfile.type "${podSeccomp}" is not allowed (RuntimeDefault, Localhost)`);
  }
  // restricted: pod-level values that containers may inherit
  if (restricted && psc.runAsNonRoot === false) fail(join(pscPath, 'runAsNonRoot'), 'runAsNonRoot must not be false');
  if (restricted && psc.runAsUser === 0) fail(join(pscPath, 'runAsUser'), 'runAsUser must not be 0');

  for (const { container: c, path } of containersOf(t)) {
    const sc = c?.securityContext ?? {};
    const scPath = join(path, 'securityContext');
    if (sc.windowsOptions?.hostProcess === true) fail(join(scPath, 'windowsOptions.hostProcess'), 'HostProcess containers are not allowed');
    if (sc.privileged === true) fail(join(scPath, 'privileged'), 'privileged must be unset or false');
    if (sc.procMount !== undefined && sc.procMount !== 'Default') fail(join(scPath, 'procMount'), 'procMount must be unset or Default');
    checkSeLinux(sc, scPath);
    checkAppArmor(sc, scPath);
    (c?.ports ?? []).forEach((p: any, i: number) => {
      if (p?.hostPort) fail(join(join(join(path, 'ports'), i), 'hostPort'), 'hostPort must be unset or 0');
    });
    const add: string[] = sc.capabilities?.add ?? [];
    const addable = restricted ? RESTRICTED_CAPS : BASELINE_CAPS;
    add.forEach((cap, i) => {
      if (!addable.includes(cap)) fail(join(join(scPath, 'capabilities.add'), i), `capability "${cap}" may not be added (only ${addable.join(', ')})`);
    });
    if (!restricted) {
      if (sc.seccompProfile?.type === 'Unconfined') fail(join(scPath, 'seccompProfile.type'), 'seccompProfile.type "Unconfined" is not allowed');
      continue;
    }
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) fail(join(scPath, 'capabilities.drop'), 'capabilities.drop must include ALL');
    if (sc.allowPrivilegeEscalation !== false) fail(join(scPath, 'allowPrivilegeEscalation'), 'allowPrivilegeEscalation must be false');
    if (sc.runAsNonRoot === false || (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true)) {
      fail(join(scPath, 'runAsNonRoot'), 'runAsNonRoot must be true (on the pod or on every container)');
    }
    if (sc.runAsUser === 0) fail(join(scPath, 'runAsUser'), 'runAsUser must not be 0');
    const type = sc.seccompProfile?.type;
    if (type !== undefined ? !SECCOMP_OK.includes(type) : !SECCOMP_OK.includes(podSeccomp)) {
      fail(join(scPath, 'seccompProfile.type'), 'seccompProfile.type must be RuntimeDefault or Localhost (on the pod or on every container)');
    }
  }
  return out;
}
