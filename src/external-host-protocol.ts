/**
 * What an app speaks to an external host on a port, which Istio routes by: `TLS` by SNI (HTTPS
 * from the app), `HTTP`/`HTTP2`/`GRPC` by Host header (plain text from the app), `TCP` by port only.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/#ServicePort
 */
export type ExternalHostProtocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'TLS' | 'TCP';
