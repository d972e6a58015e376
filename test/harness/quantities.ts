import { joinKey, Manifest, Problem, problem } from './types';

// Quantities must be written in the canonical form the API server stores them in, or a GitOps
// tool compares '0.5' with '500m' and shows the object OutOfSync forever. The form, from
// k8s.io/apimachinery resource.Quantity: no fraction, no leading zeros, the largest suffix
// that keeps the number whole (a decimal mantissa never ends in 000, a binary one is never a
// multiple of 1024, an exponent is a non-zero multiple of 3), and zero is "0". Checked without
// the library's code: a string either has that shape or it is not canonical.

/** Keys whose object values map resource names to quantities. */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'hard', 'default', 'defaultRequest', 'maxLimitRequestRatio', 'capacity']);
/** Keys whose own value is a quantity. */
const QUANTITY_KEYS = new Set(['sizeLimit']);

/** Whether a quantity string is in the API server's canonical form. */
export function isCanonicalQuantity(value: string): boolean {
  if (value === '0') return true;
  let m = /^([1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei)$/.exec(value);
  if (m) return BigInt(m[1]) % 1024n !== 0n || m[2] === 'Ei';
  m = /^([1-9][0-9]*)([numkMGTPE]?)$/.exec(value);
  if (m) return !m[1].endsWith('000') || m[2] === 'E';
  m = /^([1-9][0-9]*)e(-?[1-9][0-9]*)$/.exec(value);
  return m !== null && Number(m[2]) % 3 === 0 && !m[1].endsWith('000');
}

function walk(obj: Manifest, value: unknown, path: string, parentKey: string, out: Problem[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(obj, v, `${path}[${i}]`, '', out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) walk(obj, child, joinKey(path, key), key, out);
  } else if (typeof value === 'string') {
    const inMap = QUANTITY_MAPS.has(path.replace(/(\.[^.[\]]+|\["[^"]*"\])$/, '').replace(/^.*[.\]]/, ''));
    const hpaTarget = obj.kind === 'HorizontalPodAutoscaler' && /\.target\.(value|averageValue)$/.test(path);
    if ((inMap || QUANTITY_KEYS.has(parentKey) || hpaTarget) && !isCanonicalQuantity(value)) {
      out.push(problem(obj, path, `quantity ${JSON.stringify(value)} is not in the canonical form the API server stores (e.g. "500m", not "0.5"; "1Gi", not "1024Mi"), so GitOps tools see it drift forever`));
    }
  }
}

/** Every quantity of the object that the API server would rewrite. */
export function quantityProblems(obj: Manifest): Problem[] {
  const out: Problem[] = [];
  walk(obj, obj, '', '', out);
  return out;
}
