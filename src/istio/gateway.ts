import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_NETWORKING_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * TLS settings of a gateway server: serve HTTPS with a certificate, or redirect to HTTPS.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface IstioServerTls {
  /** Answer plain HTTP requests with a 301 redirect to HTTPS. @default false */
  readonly httpsRedirect?: boolean;
  /** `SIMPLE` terminates TLS with the certificate of `credentialName`. @default - no TLS termination */
  readonly mode?: 'SIMPLE';
  /**
   * Name of the `kubernetes.io/tls` Secret holding the certificate, in the namespace of the
   * gateway workload (e.g. `istio-system`). @default - none
   */
  readonly credentialName?: string;
}

/**
 * One listener of a gateway.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Server
 */
export interface IstioGatewayServer {
  /** The port the gateway listens on. */
  readonly port: {
    /** The port the gateway listens on, e.g. 443. */
    readonly number: number;
    /** A unique name of the port, e.g. `https`. */
    readonly name: string;
    /** The protocol served on the port. */
    readonly protocol: 'HTTP' | 'HTTPS';
  };
  /** Host names the server accepts. */
  readonly hosts: string[];
  /** TLS settings. @default - plain HTTP */
  readonly tls?: IstioServerTls;
}

/**
 * The spec of an Istio `Gateway` (the fields this library writes).
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export interface GatewaySpec {
  /** Labels of the gateway pods (e.g. `istio: ingressgateway`). */
  readonly selector: Record<string, string>;
  /** The listeners. */
  readonly servers: IstioGatewayServer[];
}

/** Creates a `networking.istio.io` Gateway in the chart's namespace. */
export function createGateway(scope: Construct, id: string, options: IstioObjectOptions<GatewaySpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_NETWORKING_API_VERSION, 'Gateway', options);
}
