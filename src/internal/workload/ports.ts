import { IConstruct } from 'constructs';
import { AppProtocol } from '../../container-basics';
import { ContainerPort } from '../../container-options';
import { propError } from '../core/errors';
import { checkPort } from '../core/validate';

export const APP_PROTOCOLS: readonly AppProtocol[] = ['http', 'http2', 'grpc', 'tcp'];

/** One container port of the pod after validation. */
export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly appProtocol: AppProtocol;
  /** Whether the workload's Service exposes it. */
  readonly expose: boolean;
  /** The container that listens on it. */
  readonly container: string;
}

const IANA_SVC_NAME = /^[-a-z0-9]+$/;

/**
 * The protocols Istio reads from a port name `<protocol>[-<suffix>]`, as this library writes
 * them: TLS and the databases Istio knows are TCP here (no `appProtocol`, so Istio reads the name).
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
const NAMED_PROTOCOLS: Readonly<Record<string, AppProtocol>> = {
  'http': 'http',
  'http2': 'http2',
  'grpc': 'grpc',
  'grpc-web': 'http',
  'https': 'tcp',
  'tls': 'tcp',
  'tcp': 'tcp',
  'mongo': 'tcp',
  'mysql': 'tcp',
  'redis': 'tcp',
};

/** The protocol a port's name says (`https`, `grpc-api`), or undefined when it names none. */
export function protocolOfName(name: string): AppProtocol | undefined {
  const match = Object.keys(NAMED_PROTOCOLS).filter(p => name === p || name.startsWith(`${p}-`)).sort((a, b) => b.length - a.length)[0];
  return match === undefined ? undefined : NAMED_PROTOCOLS[match];
}

/**
 * Why `name` is not a valid port name (Kubernetes' IANA_SVC_NAME rule, which Service port names
 * also follow), or undefined when it is.
 */
export function portNameIssue(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 15) return 'must be 1 to 15 characters';
  if (!IANA_SVC_NAME.test(name)) return 'must consist of lowercase letters, digits and \'-\'';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  if (name.includes('--')) return 'must not contain \'--\'';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not start or end with \'-\'';
  return undefined;
}

/**
 * The ports of one pod, collected container by container: names and numbers are unique in the
 * pod (its containers share one network namespace, and a Service targets ports by name), and the
 * Service port numbers of exposed ports are unique on the Service.
 */
export class PodPorts {
  private readonly ports: ResolvedPort[] = [];
  private readonly servicePorts = new Map<number, string>();

  /** @param defaultProtocol the `appProtocol` of a port whose name names no protocol */
  constructor(private readonly scope: IConstruct, private readonly defaultProtocol: AppProtocol = 'http') {}

  /** Every port, main container first, in declaration order. */
  public get all(): readonly ResolvedPort[] {
    return this.ports;
  }

  /** Adds the main port (its Service port may differ from the container port). */
  public addMain(port: ResolvedPort, servicePort: number): void {
    this.ports.push(port);
    this.servicePorts.set(servicePort, 'port');
  }

  /** Validates and adds a list of `ContainerPort`s of `container`, reported under `prop`. */
  public addList(prop: string, list: readonly ContainerPort[] | undefined, container: string): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) throw propError(this.scope, prop, list, 'must be a list of { name, port, appProtocol?, expose? }, e.g. [{ name: "metrics", port: 9090 }]');
    list.forEach((entry, i) => this.add(`${prop}[${i}]`, entry, container));
  }

  private add(prop: string, entry: ContainerPort, container: string): void {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw propError(this.scope, prop, entry, 'must be { name, port, appProtocol?, expose? }, e.g. { name: "metrics", port: 9090 }');
    }
    const issue = portNameIssue(entry.name);
    if (issue) throw propError(this.scope, `${prop}.name`, entry.name, `${issue}: port names are IANA service names (at most 15 lowercase letters, digits or '-', with a letter), e.g. "metrics" or "admin"`);
    const port = checkPort(this.scope, `${prop}.port`, entry.port);
    const appProtocol = entry.appProtocol ?? protocolOfName(entry.name) ?? this.defaultProtocol;
    if (!APP_PROTOCOLS.includes(appProtocol)) {
      throw propError(this.scope, `${prop}.appProtocol`, appProtocol, `must be one of ${APP_PROTOCOLS.map(p => JSON.stringify(p)).join(', ')}`);
    }
    if (entry.expose !== undefined && typeof entry.expose !== 'boolean') throw propError(this.scope, `${prop}.expose`, entry.expose, 'must be true or false');
    const expose = entry.expose ?? true;
    const sameName = this.ports.find(p => p.name === entry.name);
    if (sameName) {
      throw propError(this.scope, `${prop}.name`, entry.name, `is already the name of port ${sameName.port} of container "${sameName.container}"; port names must be unique in the pod`);
    }
    const sameNumber = this.ports.find(p => p.port === port);
    if (sameNumber) {
      throw propError(this.scope, `${prop}.port`, port, `is already port "${sameNumber.name}" of container "${sameNumber.container}"; the containers of a pod share one network, so port numbers must be unique in it`);
    }
    if (expose && this.servicePorts.has(port)) {
      throw propError(this.scope, `${prop}.port`, port, `is already the Service port of ${this.servicePorts.get(port)}; give it another number or set expose: false`);
    }
    if (expose) this.servicePorts.set(port, prop);
    this.ports.push({ name: entry.name, port, appProtocol, expose, container });
  }
}

/**
 * The number of a port given as a number or as the name of one of `ports`; an unknown name is an
 * error listing the names there are.
 */
export function resolvePortReference(scope: IConstruct, prop: string, value: number | string, ports: readonly ResolvedPort[]): number {
  if (typeof value === 'string') {
    const found = ports.find(p => p.name === value);
    if (!found) {
      throw propError(scope, prop, value, `names no declared port; the ports are ${ports.map(p => `"${p.name}" (${p.port})`).join(', ')}, or give a port number`);
    }
    return found.port;
  }
  return checkPort(scope, prop, value);
}
