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

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => value * 256n + BigInt(octet), 0n);
}

function ipv4Text(value: bigint): string {
  return [3n, 2n, 1n, 0n].map(byte => String((value / 256n ** byte) % 256n)).join('.');
}

function ipv6Value(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((value, group) => value * 65536n + BigInt(parseInt(group, 16)), 0n);
}

/** An IPv6 address in the RFC 5952 text form: lowercase, no leading zeros, the longest zero run as `::`. */
function ipv6Text(value: bigint): string {
  const groups = [7n, 6n, 5n, 4n, 3n, 2n, 1n, 0n].map(group => ((value / 65536n ** group) % 65536n).toString(16));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

/**
 * A CIDR block: an IPv4 or IPv6 network address with a prefix length, e.g. `10.0.0.0/8` or
 * `2001:db8::/32`. A bare address suggests the host route (`/32`, `/128`); an address with bits
 * set beyond the prefix (`10.1.2.3/16`) suggests the network it belongs to (`10.1.0.0/16`).
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
  const bits = BigInt(max);
  const prefix = BigInt(mask);
  const addressValue = v4 ? ipv4Value(address) : ipv6Value(address);
  const hostSize = 2n ** (bits - prefix);
  const network = (addressValue / hostSize) * hostSize;
  if (network !== addressValue) {
    const corrected = `${v4 ? ipv4Text(network) : ipv6Text(network)}/${mask}`;
    throw propError(scope, prop, value, `the address has bits set beyond the /${mask} prefix (host bits), so it is not the network address of the block: did you mean ${JSON.stringify(corrected)}?`);
  }
  return value;
}
