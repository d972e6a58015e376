import { IConstruct } from 'constructs';
import { INetworkPeer } from '../../network-peer';
import { getOrInsert } from '../core/get-or-insert';

/** A workload routed through a gateway, on the container port its route's backend reaches. */
export interface RoutedWorkload {
  readonly peer: INetworkPeer;
  readonly port: number;
}

interface GatewayRoutes {
  readonly routed: RoutedWorkload[];
  readonly listeners: Array<(workload: RoutedWorkload) => void>;
}

const REGISTRIES = new WeakMap<IConstruct, Map<string, GatewayRoutes>>();

function routesOf(scope: IConstruct, gatewayKey: string): GatewayRoutes {
  const registry = getOrInsert(REGISTRIES, scope.node.root, () => new Map());
  return getOrInsert(registry, gatewayKey, () => ({ routed: [], listeners: [] }));
}

/** Records that `workload` is routed through the gateway `gatewayKey` (`namespace/name`), and tells whoever waits. */
export function registerRoutedWorkload(scope: IConstruct, gatewayKey: string, workload: RoutedWorkload): void {
  const routes = routesOf(scope, gatewayKey);
  routes.routed.push(workload);
  for (const listener of routes.listeners) listener(workload);
}

/**
 * Runs `callback` for every workload routed through the gateway: those routed already, now, and
 * those routed later, when their route is made (so constructs can be created in any order).
 */
export function whenRouted(scope: IConstruct, gatewayKey: string, callback: (workload: RoutedWorkload) => void): void {
  const routes = routesOf(scope, gatewayKey);
  routes.listeners.push(callback);
  for (const workload of [...routes.routed]) callback(workload);
}
