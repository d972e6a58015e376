import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_NETWORKING_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * The protocol of a ServiceEntry port, which Istio routes by (`TLS` by SNI, `HTTP` by Host).
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServicePort
 */
export type ServiceEntryProtocol = 'HTTP' | 'HTTPS' | 'HTTP2' | 'GRPC' | 'TLS' | 'TCP';

/** One port of a ServiceEntry. */
export interface ServiceEntryPort {
  readonly number: number;
  readonly name: string;
  readonly protocol: ServiceEntryProtocol;
}

/**
 * The spec of an Istio `ServiceEntry` (the fields this library writes): external hosts added to
 * the mesh's service registry.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export interface ServiceEntrySpec {
  readonly hosts: readonly string[];
  /** Namespaces that see the entry; `.` is the entry's own. */
  readonly exportTo?: readonly string[];
  readonly location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  /** `DNS` resolves each host; wildcard hosts need `NONE` (the proxy forwards to the address asked for). */
  readonly resolution: 'DNS' | 'NONE';
  readonly ports: readonly ServiceEntryPort[];
}

/** Creates a `networking.istio.io` ServiceEntry. */
export function createServiceEntry(scope: Construct, id: string, options: IstioObjectOptions<ServiceEntrySpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_NETWORKING_API_VERSION, 'ServiceEntry', options);
}
