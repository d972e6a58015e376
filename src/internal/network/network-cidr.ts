import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(address: string): boolean {
  if (!/^[0-9a-fA-F:]+$/.test(address) || address.split('::').length > 2) return false;
  const groups = address.split(':').filter(g => g !== '');
  if (groups.some(g => g.length > 4)) return false;
  return address.includes('::') ? groups.length < 8 : groups.length === 8;
}

/**
 * A CIDR block in canonical form: an IPv4 or IPv6 address with a prefix length, e.g.
 * `10.0.0.0/8` or `2001:db8::/32`. A bare address suggests the host route (`/32`, `/128`).
 */
export function checkCidr(scope: IConstruct, prop: string, value: string): string {
  const [address, mask, extra] = typeof value === 'string' ? value.split('/') : [];
  const v4 = address !== undefined && IPV4.test(address);
  const v6 = address !== undefined && !v4 && isIpv6(address);
  if (!v4 && !v6 || extra !== undefined) {
    throw propError(scope, prop, value, 'must be a CIDR block such as "10.0.0.0/8" or "2001:db8::/32"');
  }
  const max = v4 ? 32 : 128;
  if (mask === undefined) {
    throw propError(scope, prop, value, `the prefix length is missing: did you mean ${JSON.stringify(`${address}/${max}`)}?`);
  }
  if (!/^\d{1,3}$/.test(mask) || Number(mask) > max) {
    throw propError(scope, prop, value, `the prefix length must be an integer between 0 and ${max}`);
  }
  return value;
}
