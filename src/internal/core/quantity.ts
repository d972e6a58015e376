import { IConstruct } from 'constructs';
import { propError } from './errors';

/*
 * Kubernetes quantities (k8s.io/apimachinery/pkg/api/resource, Quantity): parsed exactly (BigInt,
 * no floating point) and written in the canonical form the API server stores, so that the
 * committed manifests equal the live objects and ArgoCD does not show them OutOfSync forever.
 *
 * The rules, from `ParseQuantity` and `CanonicalizeBytes`:
 * - the suffix decides the format: binary SI (`Ki`…`Ei`), decimal SI (`n`, `u`, `m`, none, `k`…`E`)
 *   or decimal exponent (`e3`, `E-3`); the canonical form keeps the input's format, except that a
 *   binary quantity below 1024 or with a fractional part is written in decimal SI;
 * - values are rounded up to a whole nano (`0.0000000005` → `1n`), non-zero values never to zero;
 * - decimal forms move every factor of ten into the exponent, then lower it to a multiple of
 *   three: the largest suffix that leaves an integer (`0.5` → `500m`, `1000m` → `1`,
 *   `16000m` → `16`, `1.5k` → `1500`, `1e3` → `1e3`);
 * - binary forms divide out every factor of 1024 (`1024Mi` → `1Gi`, `1.5Gi` → `1536Mi`);
 * - zero is `0`, whatever its suffix.
 */

const QUANTITY = /^\+?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([-+]?[0-9]+))?$/;
const BINARY_POWER: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** A parsed quantity: `mantissa × 10^exponent`, and the format its suffix implies. */
interface ParsedQuantity {
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

function parse(value: string): ParsedQuantity | undefined {
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [whole, fraction = ''] = match[1].split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  let exponent = -fraction.length;
  let format: ParsedQuantity['format'] = 'DecimalSI';
  if (match[2] !== undefined) {
    mantissa *= 2n ** BigInt(BINARY_POWER[match[2]]);
    format = 'BinarySI';
  } else if (match[3] !== undefined) {
    exponent += DECIMAL_EXPONENT[match[3]];
  } else if (match[4] !== undefined) {
    if (Math.abs(Number(match[4])) > 100) return undefined;
    exponent += Number(match[4]);
    format = 'DecimalExponent';
  }
  // round up (away from zero) to a whole nano, as the API server does
  if (exponent < -9) {
    const divisor = 10n ** BigInt(-9 - exponent);
    mantissa = (mantissa + divisor - 1n) / divisor;
    exponent = -9;
  }
  return { mantissa, exponent, format };
}

/** Moves every factor of `base` out of `value`: `[value / base^n, n]`. */
function removeFactors(value: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (value !== 0n && value % base === 0n) {
    value /= base;
    times++;
  }
  return [value, times];
}

function canonical({ mantissa, exponent, format }: ParsedQuantity): string {
  if (mantissa === 0n) return '0';
  if (format === 'BinarySI') {
    const unit = 10n ** BigInt(Math.abs(exponent));
    const integer = exponent >= 0 ? mantissa * unit : mantissa % unit === 0n ? mantissa / unit : undefined;
    if (integer !== undefined && integer >= 1024n) {
      let [amount, power] = removeFactors(integer, 1024n);
      for (; power > BINARY_SUFFIX.length - 1; power--) amount *= 1024n;
      return `${amount}${BINARY_SUFFIX[power]}`;
    }
    format = 'DecimalSI'; // below 1024, or fractional: decimal SI, without losing precision
  }
  let [amount, times] = removeFactors(mantissa, 10n);
  let scale = exponent + times;
  while (((scale % 3) + 3) % 3 !== 0) {
    amount *= 10n;
    scale--;
  }
  if (format === 'DecimalExponent') return scale === 0 ? `${amount}` : `${amount}e${scale}`;
  for (; scale > 18; scale -= 3) amount *= 1000n;
  return `${amount}${DECIMAL_SUFFIX[scale]}`;
}

/**
 * The canonical form of a Kubernetes quantity, exactly as the API server writes it back
 * (`'0.5'` → `'500m'`, `'1024Mi'` → `'1Gi'`), or undefined when malformed.
 */
export function canonicalQuantity(value: string): string | undefined {
  const parsed = parse(value);
  return parsed && canonical(parsed);
}

/** Parses a Kubernetes quantity string into its value in base units, or undefined when malformed. */
export function parseQuantity(value: string): number | undefined {
  const parsed = parse(value);
  return parsed && Number(parsed.mantissa) * 10 ** parsed.exponent;
}

/** The kind of resource a quantity measures; it decides the examples given in errors. */
export type QuantityKind = 'cpu' | 'memory' | 'storage';

const EXAMPLES: Record<QuantityKind, string> = {
  cpu: '"250m" or "1"',
  memory: '"256Mi" or "1Gi"',
  storage: '"10Gi"',
};

/** Validates a non-negative Kubernetes quantity and returns its value in base units. */
export function checkQuantity(scope: IConstruct, prop: string, value: string, kind: QuantityKind): number {
  return resolveQuantity(scope, prop, value, kind).value;
}

/**
 * Validates a non-negative Kubernetes quantity; returns its value in base units and the
 * canonical form to write (see {@link canonicalQuantity}).
 */
export function resolveQuantity(scope: IConstruct, prop: string, value: string, kind: QuantityKind): { value: number; canonical: string } {
  const parsed = parse(value);
  if (parsed === undefined) {
    throw propError(scope, prop, value, `must be a Kubernetes quantity such as ${EXAMPLES[kind]}`);
  }
  if (kind !== 'cpu' && /m$/.test(value)) {
    throw propError(scope, prop, value, `"m" means thousandths, not megabytes: use "Mi" or "M" (e.g. ${JSON.stringify(value.slice(0, -1) + 'Mi')})`);
  }
  return { value: Number(parsed.mantissa) * 10 ** parsed.exponent, canonical: canonical(parsed) };
}
