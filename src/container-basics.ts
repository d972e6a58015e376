import type { ExternalSecret } from './external-secret';

/** The application protocol of the port, used for the port name and `appProtocol` (Istio routes by it). */
export type AppProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

/**
 * A request and a limit for one resource, as Kubernetes quantities (`'250m'`, `'256Mi'`).
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ResourceSpec {
  /**
   * What the scheduler reserves for the container.
   * @default - the limit when only a limit is given, otherwise the library default of the resource
   */
  readonly request?: string;
  /**
   * The most the container may use.
   * @default - none for cpu; the request for memory
   */
  readonly limit?: string;
}

/**
 * CPU and memory of a container.
 */
export interface ResourceRequirements {
  /**
   * CPU request and limit. There is no CPU limit by default: CPU is compressible, and a limit
   * only throttles latency-sensitive services while the node has idle cores.
   * @default { request: '100m' }
   */
  readonly cpu?: ResourceSpec;
  /**
   * Memory request and limit. The limit defaults to the request so that nodes are never
   * overcommitted on memory, which is not compressible (an overcommitted node OOM-kills).
   * @default { request: '256Mi', limit: '256Mi' }
   */
  readonly memory?: ResourceSpec;
}

/** An environment variable read from a key of a Secret. */
export interface SecretKeyRef {
  /**
   * The Secret in the app's namespace: its name, or the {@link ExternalSecret} that writes it
   * (whose `data` must then have `key`).
   */
  readonly secret: string | ExternalSecret;
  /** Key within the Secret. */
  readonly key: string;
}
