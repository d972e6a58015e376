import { IConstruct } from 'constructs';
import { CanaryGatewayOptions } from '../../canary-release-options';
import { GatewaySpec } from '../../istio/gateway';
import { propError } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, checkOptionalObject, checkResourceName } from '../core/validate';
import { GatewayPods } from '../network/gateway-allowance';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** The validated external hosts of a gateway. */
export function resolveGatewayHosts(scope: IConstruct, options: CanaryGatewayOptions): string[] {
  if (typeof options !== 'object' || options === null) {
    throw propError(scope, 'gateway', options, 'must be { hosts, tls?, selector? }');
  }
  if (!Array.isArray(options.hosts) || options.hosts.length === 0) {
    throw propError(scope, 'gateway.hosts', options.hosts, 'must be a non-empty list of host names such as ["api.example.com"]');
  }
  const hosts = options.hosts.map(host => checkHostname(scope, 'gateway.hosts', host));
  const duplicate = hosts.find((host, index) => hosts.indexOf(host) !== index);
  if (duplicate !== undefined) throw propError(scope, 'gateway.hosts', options.hosts, `lists ${JSON.stringify(duplicate)} twice`);
  return hosts;
}

/**
 * The Gateway of a release: HTTPS on 443 terminating TLS with `credentialName`, and plain HTTP
 * on 80 answering every request with a redirect to HTTPS. Port names carry the release name,
 * since Istio needs them unique across the Gateways a gateway workload serves.
 */
export function buildGatewaySpec(scope: IConstruct, name: string, hosts: string[], options: CanaryGatewayOptions): GatewaySpec {
  checkOptionalObject(scope, 'gateway.tls', options.tls, '{ credentialName: "api-example-com" }');
  const credentialName = checkDnsSubdomain(scope, 'gateway.tls.credentialName', options.tls?.credentialName ?? `${name}-tls`);
  return {
    selector: resolveSelector(scope, options.selector ?? { istio: 'ingressgateway' }),
    servers: [
      { port: { number: 443, name: `https-${name}`, protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName } },
      { port: { number: 80, name: `http-${name}`, protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
    ],
  };
}

function resolveSelector(scope: IConstruct, selector: Record<string, string>): Record<string, string> {
  if (typeof selector !== 'object' || selector === null || Object.keys(selector).length === 0) {
    throw propError(scope, 'gateway.selector', selector, 'must be a non-empty map of the gateway pods\' labels, e.g. { istio: "ingressgateway" }');
  }
  for (const [key, value] of Object.entries(selector)) {
    if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      throw propError(scope, `gateway.selector.${key}`, value, 'must be a valid label key and value (at most 63 letters, digits, \'-\', \'_\' or \'.\')');
    }
  }
  return { ...selector };
}

/** The gateway pods that must reach the release: their namespace, labels and identity. */
export function resolveGatewayPods(scope: IConstruct, options: CanaryGatewayOptions, selector: Record<string, string>): GatewayPods {
  return {
    namespace: checkDnsLabel(scope, 'gateway.podNamespace', options.podNamespace ?? 'istio-system'),
    labels: selector,
    serviceAccount: checkResourceName(scope, 'gateway.serviceAccount', options.serviceAccount ?? 'istio-ingressgateway-service-account'),
  };
}
