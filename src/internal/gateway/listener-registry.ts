import { IConstruct } from 'constructs';
import { IstioGatewayServer } from '../../istio/gateway';
import { PropValidationError } from '../core/errors';
import { getOrInsert } from '../core/get-or-insert';

const REGISTRIES = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records, App-wide, the host and port of every server of an Istio Gateway served by the
 * gateway pods `selector`, and fails when another Gateway of the App already serves that host on
 * that port through the same pods: Istio then keeps one of the two servers (for HTTPS the first
 * certificate wins) and silently drops the other's traffic. Port 443 is checked before port 80.
 */
export function claimGatewayListeners(scope: IConstruct, prop: string, selector: Record<string, string>,
  servers: readonly IstioGatewayServer[]): void {
  const registry = getOrInsert(REGISTRIES, scope.node.root, () => new Map());
  const pods = Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',');
  const ordered = [...servers].sort((a, b) => b.port.number - a.port.number);
  for (const server of ordered) {
    for (const host of server.hosts) {
      const owner = registry.get(listenerKey(pods, server.port.number, host));
      if (owner !== undefined && owner !== scope.node.path) {
        throw new PropValidationError(scope.node.path, prop, host,
          `${owner} already serves host ${JSON.stringify(host)} on port ${server.port.number} through the gateway pods {${pods}}; two Gateways on one host and port conflict (Istio keeps one and drops the other's traffic): route both releases through one host each, or give one a distinct gateway.selector`);
      }
    }
  }
  for (const server of ordered) {
    for (const host of server.hosts) registry.set(listenerKey(pods, server.port.number, host), scope.node.path);
  }
}

function listenerKey(pods: string, port: number, host: string): string {
  return `${pods}|${port}|${host.toLowerCase()}`;
}
