import { IConstruct } from 'constructs';
import { ResolvedPort, resolvePortReference } from './ports';
import { GrpcProbeOptions, ProbeOptions, Probes, ProbeSetting } from '../../workload-options';
import { propError } from '../core/errors';
import { checkHttpPath, checkInteger } from '../core/validate';

/** A probe as written to the manifest. */
export interface ProbeJson {
  readonly httpGet?: { path: string; port: number; httpHeaders?: Array<{ name: string; value: string }> };
  readonly grpc?: { port: number; service?: string };
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
  checkOneCheck(scope, prop, options);
  const port = resolvePortReference(scope, `${prop}.port`, options.port ?? context.appPort, context.ports);
  const timing = {
    initialDelaySeconds: nonZero(checkInteger(scope, `${prop}.initialDelaySeconds`, options.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY[kind], 0)),
    periodSeconds: checkInteger(scope, `${prop}.periodSeconds`, options.periodSeconds ?? 10, 1),
    failureThreshold: checkInteger(scope, `${prop}.failureThreshold`, options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD[kind], 1),
    timeoutSeconds: checkInteger(scope, `${prop}.timeoutSeconds`, options.timeoutSeconds ?? 1, 1),
  };
  if (options.path !== undefined) {
    const httpHeaders = resolveHttpHeaders(scope, `${prop}.httpHeaders`, options.httpHeaders);
    return { httpGet: { path: checkHttpPath(scope, `${prop}.path`, options.path), port, httpHeaders }, ...timing };
  }
  if (options.grpc !== undefined) return { grpc: { port, service: resolveGrpcService(scope, `${prop}.grpc`, options.grpc) }, ...timing };
  if (options.command !== undefined) {
    if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some(c => typeof c !== 'string' || c === '')) {
      throw propError(scope, `${prop}.command`, options.command, 'must be a non-empty list of non-empty strings, e.g. ["cat", "/tmp/healthy"]');
    }
    return { exec: { command: [...options.command] }, ...timing };
  }
  return { tcpSocket: { port }, ...timing };
}

/** A probe checks one way: `path` (HTTP), `command` (exec), `grpc`, or none of them (TCP); headers go with `path` only. */
function checkOneCheck(scope: IConstruct, prop: string, options: ProbeOptions): void {
  const given = (['path', 'command', 'grpc'] as const).filter(key => options[key] !== undefined);
  if (given.length > 1) {
    throw propError(scope, prop, options, `give one of \`path\` (HTTP GET), \`command\` (exec) or \`grpc\` (gRPC health check), not ${given.map(k => `\`${k}\``).join(' and ')}`);
  }
  if (options.httpHeaders !== undefined && options.path === undefined) {
    throw propError(scope, `${prop}.httpHeaders`, options.httpHeaders, 'headers go with an HTTP GET: give `path` too (e.g. { path: "/healthz", httpHeaders: { Host: "shop.example.com" } }), or remove httpHeaders');
  }
}

/** `grpc: true` checks the server's overall health; `{ service }` one service (a non-empty name). */
function resolveGrpcService(scope: IConstruct, prop: string, grpc: true | GrpcProbeOptions): string | undefined {
  if (grpc === true) return undefined;
  if (typeof grpc !== 'object' || grpc === null || Array.isArray(grpc)) {
    throw propError(scope, prop, grpc, 'must be true (the server\'s overall health) or { service: "<name>" } (one service\'s health)');
  }
  if (grpc.service !== undefined && (typeof grpc.service !== 'string' || grpc.service === '')) {
    throw propError(scope, `${prop}.service`, grpc.service, 'must be a non-empty service name such as "hipstershop.CartService"; leave it out (or give grpc: true) for the server\'s overall health');
  }
  return grpc.service;
}

/** HTTP header names are tokens of letters, digits and '-' (the API server's rule); values are strings. */
const HEADER_NAME = /^[-A-Za-z0-9]+$/;

function resolveHttpHeaders(scope: IConstruct, prop: string,
  headers: Record<string, string> | undefined): Array<{ name: string; value: string }> | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw propError(scope, prop, headers, 'must be an object of header name → value, e.g. { Host: "shop.example.com" }');
  }
  return Object.entries(headers).map(([name, value]) => {
    if (!HEADER_NAME.test(name)) throw propError(scope, prop, name, 'header names are letters, digits and \'-\' only, e.g. "X-Probe"');
    if (typeof value !== 'string') throw propError(scope, `${prop}.${name}`, value, 'header values must be strings');
    return { name, value };
  });
}

function nonZero(value: number): number | undefined {
  return value === 0 ? undefined : value;
}
