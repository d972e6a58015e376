import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_SECURITY_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';

/**
 * How a workload accepts traffic from its peers.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/#PeerAuthentication-MutualTLS-Mode
 */
export type MutualTlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/**
 * Selects the workloads (pods) an Istio security policy applies to, by labels.
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/
 */
export interface IstioWorkloadSelector {
  /** Labels a pod must carry to be selected. */
  readonly matchLabels: Record<string, string>;
}

/**
 * The spec of an Istio `PeerAuthentication` (the fields this library writes).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export interface PeerAuthenticationSpec {
  /**
   * The workloads the policy applies to.
   * @default - every workload of the namespace
   */
  readonly selector?: IstioWorkloadSelector;
  /**
   * The mutual TLS setting of the selected workloads.
   * @default - inherited from the parent (mesh or namespace) policy
   */
  readonly mtls?: {
    /** `STRICT` accepts only mutual TLS; `PERMISSIVE` also plain text. */
    readonly mode: MutualTlsMode;
  };
  /**
   * Per-port mutual TLS settings of the selected workloads, by container port (needs `selector`).
   * @default - the `mtls` setting on every port
   */
  readonly portLevelMtls?: Readonly<Record<string, {
    /** `STRICT` accepts only mutual TLS on the port; `PERMISSIVE` also plain text. */
    readonly mode: MutualTlsMode;
  }>>;
}

/** Creates a `security.istio.io` PeerAuthentication. */
export function createPeerAuthentication(scope: Construct, id: string, options: IstioObjectOptions<PeerAuthenticationSpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_SECURITY_API_VERSION, 'PeerAuthentication', options);
}
