/** Shared by the two apps of the benchmark (app-ours.ts, app-peer.ts). */
export const NAMESPACE = 'bench';
export const IMAGE = 'ghcr.io/acme/web:1.4.2';
export const PORT = 8080;
