import { IConstruct } from 'constructs';
import { propError } from '../core/errors';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const HEX_GROUPS = /^[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4})*$/;

/** RFC 4291 text form: eight groups of 1–4 hex digits, or fewer with one `::` standing for the rest. */
function isIpv6(address: string): boolean {
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const count = (part: string) => (part === '' ? 0 : HEX_GROUPS.test(part) ? part.split(':').length : NaN);
  if (halves.length === 1) return count(halves[0]) === 8;
  const groups = count(halves[0]) + count(halves[1]);
  return groups <= 7; // NaN (a malformed half, such as ':' in ':::') is false too
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
