import { IConstruct } from 'constructs';
import { propError } from './errors';

const STORAGE = /^([0-9]+)(?:\.([0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * Validates a storage size (a positive whole number of bytes written as a Kubernetes quantity)
 * and returns it in the canonical form the API server stores it in — binary suffixes stay
 * binary, decimal ones decimal, with the largest suffix that keeps the number whole
 * (`'1024Mi'` → `'1Gi'`, `'1.5Gi'` → `'1536Mi'`). Writing the canonical form
 * keeps GitOps tools from seeing a permanent difference, which on an immutable
 * `volumeClaimTemplates` field cannot be synced away.
 */
export function canonicalStorageSize(scope: IConstruct, prop: string, value: string): string {
  const match = typeof value === 'string' ? STORAGE.exec(value) : null;
  if (!match) throw propError(scope, prop, value, 'must be a Kubernetes quantity of bytes such as "10Gi" or "500M" (binary Ki, Mi, Gi, Ti or decimal k, M, G, T)');
  const [, whole, fraction = '', suffix = ''] = match;
  const binary = BINARY.includes(suffix) && suffix !== '';
  const multiplier = binary ? 1024n ** BigInt(BINARY.indexOf(suffix)) : 1000n ** BigInt(DECIMAL.indexOf(suffix));
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * multiplier;
  if (scaled % scale !== 0n) throw propError(scope, prop, value, 'is not a whole number of bytes; use a smaller unit, e.g. "1536Mi" for 1.5Gi');
  const bytes = scaled / scale;
  if (bytes === 0n) throw propError(scope, prop, value, 'must be greater than zero');
  return binary && bytes >= 1024n ? format(bytes, 1024n, BINARY) : format(bytes, 1000n, DECIMAL);
}

function format(bytes: bigint, base: bigint, suffixes: readonly string[]): string {
  let value = bytes;
  let index = 0;
  while (index < suffixes.length - 1 && value % base === 0n) {
    value /= base;
    index++;
  }
  return `${value}${suffixes[index]}`;
}
