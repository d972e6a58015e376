import { createHash } from 'crypto';

/** The first `length` hex characters of the SHA-256 of `text`: a short, stable disambiguator. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * `value` when it has at most `max` characters; otherwise its first characters, then '-' and a
 * hash of the whole value, `max` characters in all (ending in an alphanumeric character, as
 * label values and names must). Distinct long values stay distinct.
 */
export function boundedName(value: string, max = 63): string {
  if (value.length <= max) return value;
  const hash = shortHash(value);
  return `${value.slice(0, max - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
}

/** A SHA-256 of the entries of `data` in key order: the same data always gives the same sum. */
export function contentChecksum(data: Record<string, string>): string {
  const sorted = Object.keys(data).sort().map(key => [key, data[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
