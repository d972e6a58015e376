import { IConstruct } from 'constructs';
import { ResolvedWorkload, resolveWorkloadOptions } from './workload';
import { Probes, ProbeSetting, WorkloadOptions } from '../../workload-options';
import { propError } from '../core/errors';

const PROBE_KINDS: ReadonlyArray<keyof Probes> = ['readiness', 'liveness', 'startup'];

/** The shared options of a workload whose port is optional (a `Worker`, a `ScheduledJob`). */
export interface OptionalPortWorkload {
  readonly workload: ResolvedWorkload;
  /** Whether the props give a port; without one the container declares none. */
  readonly hasPort: boolean;
}

/**
 * Resolves the shared options of a workload without a Service: it has no `servicePort`, its
 * `port` is optional, and it gets no probe unless one is given (there is nothing a default
 * could safely check). A probe that needs a port when the workload declares none is an error.
 */
export function resolveOptionalPortWorkload(scope: IConstruct, props: WorkloadOptions, kind: string): OptionalPortWorkload {
  if (props.servicePort !== undefined) {
    throw propError(scope, 'servicePort', props.servicePort, `a ${kind} has no Service; remove servicePort (port alone declares the container port)`);
  }
  const hasPort = props.port !== undefined;
  const given: Probes = props.probes ?? {};
  const probes: Record<string, ProbeSetting> = {};
  for (const probe of PROBE_KINDS) {
    const setting = typeof given === 'object' && given !== null ? given[probe] ?? false : false;
    if (!hasPort) checkProbeNeedsNoPort(scope, `probes.${probe}`, setting, kind);
    probes[probe] = setting;
  }
  const workload = resolveWorkloadOptions(scope, { ...props, probes: typeof given === 'object' && given !== null ? probes : given }, { mainPort: hasPort });
  return { workload, hasPort };
}

function checkProbeNeedsNoPort(scope: IConstruct, prop: string, setting: ProbeSetting, kind: string): void {
  const fix = `the ${kind} declares no port: set port, give the probe a port, or use { command: ["/bin/health"] }`;
  if (typeof setting === 'string') throw propError(scope, prop, setting, `an HTTP probe needs a port, and ${fix}`);
  if (typeof setting === 'object' && setting !== null && setting.command === undefined && setting.port === undefined) {
    throw propError(scope, prop, setting, `${setting.path === undefined ? 'a TCP' : 'an HTTP'} probe needs a port, and ${fix}`);
  }
}
