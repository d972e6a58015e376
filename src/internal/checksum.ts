import { createHash } from 'crypto';

/** A SHA-256 of the entries of `data` in key order: the same data always gives the same sum. */
export function contentChecksum(data: Record<string, string>): string {
  const sorted = Object.keys(data).sort().map(key => [key, data[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
