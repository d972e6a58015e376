import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_NETWORKING_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * The spec of an Istio `Sidecar` (the fields this library writes): how the namespace's proxies
 * treat outbound traffic to hosts outside the service registry.
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export interface SidecarSpec {
  readonly outboundTrafficPolicy: {
    /** `REGISTRY_ONLY` refuses hosts that are neither Kubernetes Services nor ServiceEntries. */
    readonly mode: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  };
}

/** Creates a `networking.istio.io` Sidecar. */
export function createSidecar(scope: Construct, id: string, options: IstioObjectOptions<SidecarSpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_NETWORKING_API_VERSION, 'Sidecar', options);
}
