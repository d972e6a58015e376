import { IConstruct } from 'constructs';
import { propError } from './errors';
import { checkLabelValue, checkOptionalObject, checkQualifiedKey } from './validate';

/**
 * Validates a map of label keys to label values given as a prop — a selector (an HPA metric's,
 * a gateway's pods, the DNS pods), a nodeSelector, pod labels: every key a qualified name, every
 * value a label value, so that the API server accepts the object that carries it. `undefined`
 * passes unless `nonEmpty`; errors name `<prop>.<key>`. Returns a copy.
 */
export function checkLabelMap(scope: IConstruct, prop: string, value: Record<string, string> | undefined, example: string,
  nonEmpty = false): Record<string, string> | undefined {
  checkOptionalObject(scope, prop, value, example);
  if (value === undefined || Object.keys(value).length === 0) {
    if (nonEmpty) throw propError(scope, prop, value, `must be a non-empty map of labels, e.g. ${example}`);
    return value === undefined ? undefined : {};
  }
  for (const [key, v] of Object.entries(value)) {
    checkQualifiedKey(scope, `${prop}.${key}`, key);
    checkLabelValue(scope, `${prop}.${key}`, v);
  }
  return { ...value };
}
