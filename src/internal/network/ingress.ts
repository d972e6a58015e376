import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressOptions } from '../../ingress-options';
import { propError } from '../core/errors';
import { claimName } from '../core/name-registry';
import { checkDnsSubdomain, checkHostname, checkRoutePath } from '../core/validate';

/** Where the Ingress sends its traffic. */
export interface IngressBackend {
  readonly serviceName: string;
  readonly servicePort: number;
}

/**
 * Creates the networking.k8s.io/v1 Ingress `<name>` for one host and path prefix, with TLS
 * from the Secret `<name>-tls` (or the one given) and the cert-manager annotation when asked.
 */
export function createIngress(scope: Construct, name: string, labels: Record<string, string>,
  options: IngressOptions, backend: IngressBackend): ApiObject {
  if (typeof options !== 'object' || options === null) {
    throw propError(scope, 'ingress', options, 'must be { host, path?, className?, tls? }');
  }
  const host = checkHostname(scope, 'ingress.host', options.host);
  const path = checkRoutePath(scope, 'ingress.path', options.path ?? '/');
  if (options.className !== undefined) checkDnsSubdomain(scope, 'ingress.className', options.className);
  const tls = options.tls === true ? {} : options.tls === false || options.tls === undefined ? undefined : options.tls;
  const secretName = tls ? checkDnsSubdomain(scope, 'ingress.tls.secretName', tls.secretName ?? `${name}-tls`) : undefined;
  const annotations = tls?.clusterIssuer !== undefined
    ? { 'cert-manager.io/cluster-issuer': checkDnsSubdomain(scope, 'ingress.tls.clusterIssuer', tls.clusterIssuer) }
    : undefined;
  claimName(scope, 'name', 'Ingress', name);
  return new ApiObject(scope, 'Ingress', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, labels, annotations },
    spec: {
      ingressClassName: options.className,
      tls: secretName ? [{ hosts: [host], secretName }] : undefined,
      rules: [{
        host,
        http: {
          paths: [{
            path,
            pathType: 'Prefix',
            backend: { service: { name: backend.serviceName, port: { number: backend.servicePort } } },
          }],
        },
      }],
    },
  });
}
