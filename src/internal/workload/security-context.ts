/**
 * The container securityContext every container of the library gets (main, init and sidecar):
 * what the Pod Security Standards restricted profile asks for, and a read-only root filesystem
 * unless the workload turned it off.
 */
export function containerSecurityContext(readOnlyRootFilesystem: boolean): Record<string, unknown> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
  };
}
