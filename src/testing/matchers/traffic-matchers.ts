import { manifestsOf } from '../manifests';
import { endpointText, TrafficEndpoint, TrafficPair, trafficPairs } from '../traffic';
import { hint, listLines, MatcherContext, MatcherResult, orMatcherError } from './context';

function flowText(from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string): string {
  return `${endpointText(from)} → ${endpointText(to)}${port === undefined ? '' : `:${port}`}`;
}

function denialText(pair: TrafficPair): string {
  const d = pair.denial!;
  const reasons: string[] = [];
  if (!d.ingress) reasons.push(`no ingress rule of ${pair.to} admits it (NetworkPolicies selecting it: ${d.ingressPolicies.join(', ')})`);
  if (!d.egress) reasons.push(`no egress rule of ${pair.from} admits it (NetworkPolicies selecting it: ${d.egressPolicies.join(', ')})`);
  return `${pair.from} → ${pair.to}:${d.port} is denied: ${reasons.join('; ')}`;
}

function allowedText(pair: TrafficPair): string {
  return `${pair.from} → ${pair.to}:${pair.allowedPorts.join(',')} is allowed`;
}

function pairsOf(
  ctx: MatcherContext, line: string, received: unknown, from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string,
): TrafficPair[] {
  return orMatcherError(ctx, line, () => {
    const valid = typeof port === 'string' ? port !== '' : port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65535);
    if (!valid) throw new Error(`the port must be an integer from 1 to 65535 or a container port's name, received ${JSON.stringify(port)}`);
    return trafficPairs(manifestsOf(received), from, to, port);
  });
}

/**
 * Passes when the synthesised NetworkPolicies let every pod of `from` open a connection to
 * every pod of `to` on `port` (a container port's number or name; without a port: on at least
 * one of the receiver's container ports). `from` and `to` are what `allow()` takes (workload
 * constructs, cdk8s-plus Deployments and StatefulSets) or names. The same model as `reachabilityReport()`: the receiver's ingress and the sender's
 * egress must both allow it.
 */
export function toAllowTraffic(
  this: MatcherContext, received: unknown, from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string,
): MatcherResult {
  const line = hint(this, 'toAllowTraffic', port === undefined ? 'from, to' : 'from, to, port');
  const pairs = pairsOf(this, line, received, from, to, port);
  const denied = pairs.filter((p) => p.allowedPorts.length === 0 || (port !== undefined && p.allowedPorts.length < p.ports.length));
  const pass = pairs.length > 0 && denied.length === 0;
  return {
    pass,
    message: () => pass
      ? `${line}\n\nExpected: ${flowText(from, to, port)} to be denied by the NetworkPolicies\nReceived:\n${listLines(pairs.map(allowedText))}`
      : `${line}\n\nExpected: ${flowText(from, to, port)} to be allowed by the NetworkPolicies\nReceived:\n${listLines(denied.map(denialText))}`,
  };
}

/**
 * Passes when the synthesised NetworkPolicies let no pod of `from` open a connection to any pod
 * of `to` on `port` (without a port: on any of the receiver's container ports).
 */
export function toDenyTraffic(
  this: MatcherContext, received: unknown, from: TrafficEndpoint, to: TrafficEndpoint, port?: number | string,
): MatcherResult {
  const line = hint(this, 'toDenyTraffic', port === undefined ? 'from, to' : 'from, to, port');
  const pairs = pairsOf(this, line, received, from, to, port);
  const allowed = pairs.filter((p) => p.allowedPorts.length > 0);
  const pass = allowed.length === 0;
  return {
    pass,
    message: () => pass
      ? `${line}\n\nExpected: ${flowText(from, to, port)} to be allowed by the NetworkPolicies\nReceived:\n${listLines(pairs.filter((p) => p.denial).map(denialText))}`
      : `${line}\n\nExpected: ${flowText(from, to, port)} to be denied by the NetworkPolicies\nReceived:\n${listLines(allowed.map(allowedText))}`,
  };
}
