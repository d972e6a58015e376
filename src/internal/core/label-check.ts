import { IConstruct } from 'constructs';
import { propError } from './errors';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Validates one label of a selector given as a prop (`<prop>.<key>` in errors). */
export function checkLabel(scope: IConstruct, prop: string, key: string, value: unknown): void {
  if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) {
    throw propError(scope, `${prop}.${key}`, value, 'must be a valid label key and value (at most 63 letters, digits, \'-\', \'_\' or \'.\')');
  }
}
