import { IConstruct } from 'constructs';
import { CanaryGatewayOptions } from '../../canary-release-options';
import { GatewaySpec } from '../../istio/gateway';
import { propError } from '../core/errors';
import { checkLabelMap } from '../core/label-check';
import { checkDnsLabel, checkDnsSubdomain, checkHostname, checkOptionalObject, checkResourceName } from '../core/validate';
import { GatewayPods } from '../network/gateway-allowance';


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
    selector: checkLabelMap(scope, 'gateway.selector', options.selector ?? { istio: 'ingressgateway' }, '{ istio: "ingressgateway" } (the gateway pods\' labels)', true)!,
    servers: [
      { port: { number: 443, name: `https-${name}`, protocol: 'HTTPS' }, hosts, tls: { mode: 'SIMPLE', credentialName } },
      { port: { number: 80, name: `http-${name}`, protocol: 'HTTP' }, hosts, tls: { httpsRedirect: true } },
    ],
  };
}


/** The gateway pods that must reach the release: their namespace, labels and identity. */
export function resolveGatewayPods(scope: IConstruct, options: CanaryGatewayOptions, selector: Record<string, string>): GatewayPods {
  return {
    namespace: checkDnsLabel(scope, 'gateway.podNamespace', options.podNamespace ?? 'istio-system'),
    labels: selector,
    serviceAccount: checkResourceName(scope, 'gateway.serviceAccount', options.serviceAccount ?? 'istio-ingressgateway-service-account'),
  };
}
