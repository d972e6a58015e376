import { IConstruct } from 'constructs';
import { propError } from './errors';

const QUANTITY = /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?$/;
const MULTIPLIERS: Record<string, number> = {
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** The kind of resource a quantity measures; it decides the examples given in errors. */
export type QuantityKind = 'cpu' | 'memory' | 'storage';

const EXAMPLES: Record<QuantityKind, string> = {
  cpu: '"250m" or "1"',
  memory: '"256Mi" or "1Gi"',
  storage: '"10Gi"',
};

/** Parses a Kubernetes quantity string into its value in base units, or undefined when malformed. */
export function parseQuantity(value: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const suffix = match[3] ?? '';
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIERS[suffix];
  return Number(match[1]) * multiplier;
}

/** Validates a non-negative Kubernetes quantity and returns its value in base units. */
export function checkQuantity(scope: IConstruct, prop: string, value: string, kind: QuantityKind): number {
  const parsed = parseQuantity(value);
  if (parsed === undefined) {
    throw propError(scope, prop, value, `must be a Kubernetes quantity such as ${EXAMPLES[kind]}`);
  }
  if (kind === 'memory' && /m$/.test(value)) {
    throw propError(scope, prop, value, `"m" means thousandths, not megabytes: use "Mi" or "M" (e.g. ${JSON.stringify(value.slice(0, -1) + 'Mi')})`);
  }
  return parsed;
}
