import { IConstruct } from 'constructs';
import { propError } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A name that must also be a valid Service name: a DNS-1035 label (lowercase letters, digits and
 * '-', starting with a letter, at most 63 characters).
 */
export function checkResourceName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !DNS1035_LABEL.test(value)) {
    const hint = typeof value === 'string' && value.length > 0 ? ` (did you mean ${JSON.stringify(suggestLabel(value))}?)` : '';
    throw propError(scope, prop, value, `must be a DNS-1035 label: at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit${hint}`);
  }
  return value;
}

/** A DNS-1123 label: namespaces and most object names (at most 63 characters). */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw propError(scope, prop, value, 'must be a DNS-1123 label: at most 63 lowercase letters, digits or \'-\', starting and ending with a letter or digit');
  }
  return value;
}

/** A DNS-1123 subdomain: Secret, ConfigMap and other object names (at most 253 characters). */
export function checkDnsSubdomain(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw propError(scope, prop, value, 'must be a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters, starting and ending with a letter or digit');
  }
  return value;
}

function suggestLabel(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63);
}

/** A TCP/UDP port number, 1–65535. */
export function checkPort(scope: IConstruct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw propError(scope, prop, value, 'must be an integer port number between 1 and 65535');
  }
  return value;
}

/**
 * The largest integer the API server accepts in the integer fields the library writes (replicas,
 * counts, limits, seconds): Kubernetes declares them int32 and refuses larger values.
 */
export const INT32_MAX = 2147483647;

/**
 * An integer at least `min` and at most `max` (by default {@link INT32_MAX}, the API server's
 * limit: every integer the library writes goes through here or through a check with a lower bound).
 */
export function checkInteger(scope: IConstruct, prop: string, value: number, min: number, max?: number): number {
  const range = max === undefined ? `>= ${min} and <= ${INT32_MAX} (the API server stores it as a 32-bit integer)` : `between ${min} and ${max}`;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > (max ?? INT32_MAX)) {
    throw propError(scope, prop, value, `must be an integer ${range}`);
  }
  return value;
}

/** A number strictly greater than 0 (and at most `max` when given). */
export function checkPositiveNumber(scope: IConstruct, prop: string, value: number, max?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (max !== undefined && value > max)) {
    throw propError(scope, prop, value, max === undefined ? 'must be a number greater than 0' : `must be a number greater than 0 and at most ${max}`);
  }
  return value;
}

/** A percentage 0–100. */
export function checkPercent(scope: IConstruct, prop: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw propError(scope, prop, value, 'must be a percentage between 0 and 100');
  }
  return value;
}

/** An environment variable name as Kubernetes accepts it (a C identifier extended with '-' and '.'). */
export function checkEnvName(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !ENV_NAME.test(value)) {
    throw propError(scope, prop, value, 'environment variable names must consist of letters, digits, \'_\', \'-\' or \'.\' and must not start with a digit (e.g. "LOG_LEVEL")');
  }
  return value;
}

/** A key of a ConfigMap or Secret. */
export function checkConfigKey(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !CONFIG_KEY.test(value)) {
    throw propError(scope, prop, value, 'keys must consist of letters, digits, \'-\', \'_\' or \'.\' (at most 253 characters)');
  }
  return value;
}

/** An absolute filesystem path without `..` segments. */
export function checkAbsolutePath(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..')) {
    throw propError(scope, prop, value, 'must be an absolute path starting with \'/\' and without \'..\' segments (e.g. "/var/cache")');
  }
  return value;
}

/** An HTTP path starting with `/`, without whitespace. */
export function checkHttpPath(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || /\s/.test(value)) {
    throw propError(scope, prop, value, `must be an HTTP path starting with '/' (e.g. ${JSON.stringify('/' + String(value).replace(/^\/*/, ''))})`);
  }
  return value;
}

/** The characters of a path the Gateway API accepts: RFC 3986 `pchar`s, '/' and percent-encodings. */
const ROUTE_PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
/** What the API server refuses in an Exact or PathPrefix path: the Gateway API's CEL rules and the Ingress validation. */
const ROUTE_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F', '#'];
const ROUTE_PATH_SUFFIXES = ['/..', '/.'];

/**
 * The path prefix of an HTTPRoute match or an Ingress rule, as the API server accepts it: the
 * HTTPRoute CRD's CEL rules on `matches[].path.value` (absolute, at most 1024 characters, no
 * `//`, `/./`, `/../`, `%2f`, `#`, not ending in `/.` or `/..`, only RFC 3986 path characters,
 * so no query `?`, space or fragment) and the Ingress validation (the same sequences and
 * suffixes). One rule for both, so a path moved between an `ingress` and a `route` stays valid.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httppathmatch
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types
 */
export function checkRoutePath(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) checkHttpPath(scope, prop, value);
  const why = value.length > 1024 ? 'is longer than 1024 characters'
    : ROUTE_PATH_SEQUENCES.filter(s => value.includes(s)).map(s => `contains ${JSON.stringify(s)}`)[0]
      ?? ROUTE_PATH_SUFFIXES.filter(s => value.endsWith(s)).map(s => `ends with ${JSON.stringify(s)}`)[0]
      ?? (ROUTE_PATH_CHARACTERS.test(value) ? undefined : 'has characters outside an RFC 3986 path (a query "?", spaces, quotes…; percent-encode them)');
  if (why === undefined) return value;
  const normal = normalisePath(value);
  const hint = normal !== value && ROUTE_PATH_CHARACTERS.test(normal) ? ` (did you mean ${JSON.stringify(normal)}?)` : '';
  throw propError(scope, prop, value, `${why}, which the API server refuses in a route or ingress path: give a plain absolute path without empty, "." or ".." segments, encoded slashes, query or fragment${hint}`);
}

/** The path without query and fragment, empty and `.` segments removed and `..` segments applied. */
function normalisePath(value: string): string {
  const segments: string[] = [];
  for (const segment of value.replace(/[?#].*$/, '').split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/**
 * A DNS host name for an Ingress or Gateway: no scheme, port or path; a leading `*.` wildcard is
 * allowed when `allowWildcard`.
 */
export function checkHostname(scope: IConstruct, prop: string, value: string, allowWildcard = true): string {
  const host = typeof value === 'string' && allowWildcard && value.startsWith('*.') ? value.slice(2) : value;
  if (typeof value !== 'string' || host.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(host)) {
    const bare = typeof value === 'string' ? value.replace(/^[a-z]+:\/\//i, '').replace(/[:/].*$/, '').toLowerCase() : '';
    const hint = bare && bare !== value && DNS1123_SUBDOMAIN.test(bare) ? ` (did you mean ${JSON.stringify(bare)}?)` : '';
    throw propError(scope, prop, value, `must be a bare DNS host name such as "shop.example.com": lowercase, no scheme, port or path${allowWildcard ? ', optionally starting with "*."' : ''}${hint}`);
  }
  return value;
}

/**
 * An options object (not an array, string or other value); `undefined` passes, for optional
 * props. Keeps a wrong-typed value from being read as "nothing set" and silently defaulted.
 */
export function checkOptionalObject(scope: IConstruct, prop: string, value: unknown, example: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw propError(scope, prop, value, `must be an object such as ${example}`);
  }
}

/** A non-empty array of values. */
export function checkNonEmpty<T>(scope: IConstruct, prop: string, value: readonly T[]): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw propError(scope, prop, value, 'must be a non-empty list');
  }
  return value;
}

const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function checkQualifiedKey(scope: IConstruct, prop: string, value: string): string {
  const prefix = typeof value === 'string' && value.includes('/') ? value.slice(0, value.indexOf('/')) : '';
  if (typeof value !== 'string' || !QUALIFIED_NAME.test(value) || prefix.length > 253) {
    throw propError(scope, prop, value, 'must be a label or annotation key: an optional DNS prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\' starting and ending with a letter or digit (e.g. "example.com/team")');
  }
  return value;
}

/** A label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty). */
export function checkLabelValue(scope: IConstruct, prop: string, value: string): string {
  if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
    throw propError(scope, prop, value, 'must be a label value: at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit');
  }
  return value;
}

/** A list of strings (each non-empty unless `allowEmpty`); `undefined` passes. */
export function checkStringList(scope: IConstruct, prop: string, value: unknown, example: string, allowEmpty = false): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string' || (!allowEmpty && v === ''))) {
    throw propError(scope, prop, value, `must be a list of ${allowEmpty ? '' : 'non-empty '}strings, e.g. ${example}`);
  }
  return [...value] as string[];
}
