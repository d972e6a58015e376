import { IConstruct } from 'constructs';
import { checkDuration, DurationInput } from '../core/duration';
import { propError } from '../core/errors';

/** Gateway API's Duration: one to four whole numbers of at most five digits, each with h, m, s or ms. */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/**
 * Validates a duration as Gateway API accepts it (GEP-2257): a valid duration that is also
 * written with whole numbers of at most five digits per unit, e.g. `'1500ms'` rather than `'1.5s'`.
 * @see https://gateway-api.sigs.k8s.io/geps/gep-2257/
 */
export function checkGatewayDuration(scope: IConstruct, prop: string, value: DurationInput): string {
  const duration = checkDuration(scope, prop, value);
  if (!GATEWAY_DURATION.test(duration)) {
    throw propError(scope, prop, duration,
      'Gateway API durations are one to four whole numbers of at most five digits, each with a unit h, m, s or ms, without fractions (e.g. "1500ms" rather than "1.5s", "2h30m")');
  }
  return duration;
}
