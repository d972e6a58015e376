import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_SECURITY_API_VERSION } from './api-versions';
import { createIstioObject, IstioObjectOptions } from './istio-object';
import { IstioWorkloadSelector } from './peer-authentication';

/**
 * What an AuthorizationPolicy does with the requests its rules match.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy-Action
 */
export type AuthorizationAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

/**
 * Where a request comes from. Every field given must match.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export interface AuthorizationSource {
  /**
   * Peer identities (mTLS), e.g. `cluster.local/ns/shop/sa/web`.
   * @default - any identity
   */
  readonly principals?: readonly string[];
  /**
   * Namespaces of the peer (mTLS).
   * @default - any namespace
   */
  readonly namespaces?: readonly string[];
  /**
   * Peer IP addresses or CIDR blocks.
   * @default - any address
   */
  readonly ipBlocks?: readonly string[];
}

/**
 * What a request does. Every field given must match.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
export interface AuthorizationOperation {
  /**
   * Destination ports (container ports), as strings.
   * @default - any port
   */
  readonly ports?: readonly string[];
  /**
   * HTTP methods.
   * @default - any method
   */
  readonly methods?: readonly string[];
  /**
   * HTTP paths.
   * @default - any path
   */
  readonly paths?: readonly string[];
}

/**
 * One rule: requests from any of `from` doing any of `to`.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Rule
 */
export interface AuthorizationRule {
  /**
   * The sources the rule matches.
   * @default - any source
   */
  readonly from?: ReadonlyArray<{
    /** The source: principals, namespaces, IP blocks. */
    readonly source: AuthorizationSource;
  }>;
  /**
   * The operations the rule matches.
   * @default - any operation
   */
  readonly to?: ReadonlyArray<{
    /** The operation: ports, methods, paths. */
    readonly operation: AuthorizationOperation;
  }>;
}

/**
 * The spec of an Istio `AuthorizationPolicy` (the fields this library writes). An empty spec is
 * the "allow-nothing" policy: it selects every workload of the namespace and matches no request.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export interface AuthorizationPolicySpec {
  /**
   * The workloads the policy applies to.
   * @default - every workload of the namespace
   */
  readonly selector?: IstioWorkloadSelector;
  /**
   * The action on matching requests.
   * @default 'ALLOW'
   */
  readonly action?: AuthorizationAction;
  /**
   * The rules; an ALLOW policy without rules matches nothing, so it allows nothing.
   * @default - no rules
   */
  readonly rules?: readonly AuthorizationRule[];
}

/** Creates a `security.istio.io` AuthorizationPolicy. */
export function createAuthorizationPolicy(scope: Construct, id: string, options: IstioObjectOptions<AuthorizationPolicySpec>): ApiObject {
  return createIstioObject(scope, id, ISTIO_SECURITY_API_VERSION, 'AuthorizationPolicy', options);
}

/** The SPIFFE-style principal of a ServiceAccount in Istio (`<trustDomain>/ns/<ns>/sa/<sa>`). */
export function serviceAccountPrincipal(namespace: string, serviceAccount: string, trustDomain = 'cluster.local'): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
