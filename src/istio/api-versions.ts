/**
 * The Istio API versions this library writes. `v1beta1` is served by every Istio release
 * since 1.8 (networking) and 1.5 (security) up to today's, so the output works on old and new
 * control planes alike; `v1` would need Istio 1.22 or later.
 */
export const ISTIO_NETWORKING_API_VERSION = 'networking.istio.io/v1beta1';
/** @see ISTIO_NETWORKING_API_VERSION */
export const ISTIO_SECURITY_API_VERSION = 'security.istio.io/v1beta1';
