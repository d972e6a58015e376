import { IConstruct } from 'constructs';
import { ResolvedPort, resolvePortReference } from './ports';
import { ProbeOptions, Probes, ProbeSetting } from '../../workload-options';
import { propError } from '../core/errors';
import { checkHttpPath, checkInteger } from '../core/validate';

/** A probe as written to the manifest. */
export interface ProbeJson {
  readonly httpGet?: { path: string; port: number };
  readonly tcpSocket?: { port: number };
  readonly exec?: { command: string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly timeoutSeconds: number;
}

/** The three probes of a container, each absent when switched off. */
export interface ResolvedProbes {
  readonly readinessProbe?: ProbeJson;
  readonly livenessProbe?: ProbeJson;
  readonly startupProbe?: ProbeJson;
}

type ProbeKind = keyof Probes;

const DEFAULT_FAILURE_THRESHOLD: Record<ProbeKind, number> = { readiness: 3, liveness: 6, startup: 30 };
const DEFAULT_INITIAL_DELAY: Record<ProbeKind, number> = { readiness: 0, liveness: 10, startup: 0 };

/**
 * Builds the readiness, liveness and startup probes: TCP readiness and liveness on the app's
 * port by default, a path string as an HTTP GET, full options as given, `false` as none. A probe's
 * `port` may name one of `ports` (the main container's).
 */
export function resolveProbes(scope: IConstruct, prop: string, probes: Probes | undefined, appPort: number,
  ports: readonly ResolvedPort[] = []): ResolvedProbes {
  if (probes !== undefined && (typeof probes !== 'object' || probes === null || Array.isArray(probes))) {
    throw propError(scope, prop, probes, 'must be an object such as { readiness: "/healthz" }');
  }
  const context = { appPort, ports };
  return {
    readinessProbe: buildProbe(scope, `${prop}.readiness`, probes?.readiness ?? {}, context, 'readiness'),
    livenessProbe: buildProbe(scope, `${prop}.liveness`, probes?.liveness ?? {}, context, 'liveness'),
    startupProbe: probes?.startup === undefined ? undefined : buildProbe(scope, `${prop}.startup`, probes.startup, context, 'startup'),
  };
}

function buildProbe(scope: IConstruct, prop: string, setting: ProbeSetting, context: { appPort: number; ports: readonly ResolvedPort[] },
  kind: ProbeKind): ProbeJson | undefined {
  if (setting === false) return undefined;
  const options: ProbeOptions = typeof setting === 'string' ? { path: setting } : setting;
  if (typeof options !== 'object' || options === null) {
    throw propError(scope, prop, setting, 'must be a path string, probe options or false');
  }
  if (options.path !== undefined && options.command !== undefined) {
    throw propError(scope, prop, options, 'give either `path` (HTTP GET) or `command` (exec), not both');
  }
  const port = resolvePortReference(scope, `${prop}.port`, options.port ?? context.appPort, context.ports);
  const timing = {
    initialDelaySeconds: nonZero(checkInteger(scope, `${prop}.initialDelaySeconds`, options.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY[kind], 0)),
    periodSeconds: checkInteger(scope, `${prop}.periodSeconds`, options.periodSeconds ?? 10, 1),
    failureThreshold: checkInteger(scope, `${prop}.failureThreshold`, options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD[kind], 1),
    timeoutSeconds: checkInteger(scope, `${prop}.timeoutSeconds`, options.timeoutSeconds ?? 1, 1),
  };
  if (options.path !== undefined) {
    return { httpGet: { path: checkHttpPath(scope, `${prop}.path`, options.path), port }, ...timing };
  }
  if (options.command !== undefined) {
    if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some(c => typeof c !== 'string' || c === '')) {
      throw propError(scope, `${prop}.command`, options.command, 'must be a non-empty list of non-empty strings, e.g. ["cat", "/tmp/healthy"]');
    }
    return { exec: { command: [...options.command] }, ...timing };
  }
  return { tcpSocket: { port }, ...timing };
}

function nonZero(value: number): number | undefined {
  return value === 0 ? undefined : value;
}
