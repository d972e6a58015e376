import * as fs from 'fs';
import { readTzdata, renderTimeZones, TZDATA_FILE, OUTPUT_FILE } from '../projenrc/generate-time-zones';
import { TIME_ZONE_NAMES, TZDATA_VERSION } from '../src/internal/core/time-zones.generated';

// The CronJob controller reads spec.timeZone with Go's time.LoadLocation, which knows the names of
// the IANA tz database (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones).
// The library checks names against a committed list read from the Debian package tzdata.

describe('the committed time zone names', () => {
  test('are those of the machine\'s tzdata (regenerate with `npx tsx projenrc/generate-time-zones.ts` when tzdata is updated)', () => {
    // the Debian package tzdata is part of the machine (apt-get install tzdata)
    const { version, names } = readTzdata(fs.readFileSync(TZDATA_FILE, 'utf8'));
    expect({ version: TZDATA_VERSION, names: TIME_ZONE_NAMES }).toEqual({ version, names });
    expect(fs.readFileSync(OUTPUT_FILE, 'utf8')).toBe(renderTimeZones(version, names));
  });

  test('hold zones and links (backward names included), and none that tzdata removed', () => {
    expect(TIME_ZONE_NAMES).toEqual(expect.arrayContaining(['UTC', 'Etc/UTC', 'Europe/Berlin', 'Europe/Kyiv', 'Europe/Kiev', 'US/Pacific', 'America/Argentina/Buenos_Aires']));
    // removed from tzdata (US/Pacific-New in 2020b, Canada/East-Saskatchewan in 2017c) but still
    // known to ICU, so Node's Intl, which the check used on main before this change, accepts them
    for (const removed of ['US/Pacific-New', 'Canada/East-Saskatchewan']) {
      expect(TIME_ZONE_NAMES).not.toContain(removed);
      expect(new Intl.DateTimeFormat('en-US', { timeZone: removed }).resolvedOptions().timeZone).toBeDefined();
    }
  });
});
