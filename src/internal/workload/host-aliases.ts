import { isIP } from 'node:net';
import { IConstruct } from 'constructs';
import { propError } from '../core/errors';
import { checkDnsSubdomain } from '../core/validate';

/** One `/etc/hosts` entry of the pods, as the pod spec writes it. */
export interface HostAliasJson {
  readonly ip: string;
  readonly hostnames: string[];
}

/**
 * Validates `hostAliases` (an IP address → its hostnames) as the API server does — an IPv4 or
 * IPv6 address, DNS-1123 subdomains — and refuses a hostname given twice, which `/etc/hosts`
 * would resolve to the first address only.
 */
export function resolveHostAliases(scope: IConstruct, aliases: Record<string, string[]> | undefined): HostAliasJson[] | undefined {
  if (aliases === undefined) return undefined;
  const seen = new Map<string, string>();
  return Object.entries(aliases).map(([ip, hostnames]) => {
    const prop = `hostAliases.${ip}`;
    if (isIP(ip) === 0) throw propError(scope, prop, ip, 'the key must be an IPv4 or IPv6 address, e.g. "10.0.0.5"');
    if (!Array.isArray(hostnames) || hostnames.length === 0) throw propError(scope, prop, hostnames, 'must list at least one hostname, e.g. ["legacy.internal"]');
    for (const hostname of hostnames) {
      checkDnsSubdomain(scope, prop, hostname);
      const other = seen.get(hostname);
      if (other !== undefined) throw propError(scope, prop, hostname, `is already an alias of ${other}; a hostname resolves to one address, give it once`);
      seen.set(hostname, ip);
    }
    return { ip, hostnames: [...hostnames] };
  });
}
