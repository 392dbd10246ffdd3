import { closedNotice, ClockOffsetEstimator, createPracticeClock, secondsSince, weekdayOf } from '../../wallboard/src/lib/clock.js';

describe('ClockOffsetEstimator', () => {
  it('falls back before any sample', () => {
    expect(new ClockOffsetEstimator().offset(42)).toBe(42);
  });

  it('takes the largest recent sample, since latency only ever makes a sample smaller', () => {
    const estimator = new ClockOffsetEstimator(4);
    // Server clock = local monotonic + 1_000_000; messages arrive 20-300 ms after generatedAt.
    estimator.add(1_000_000 + 5_000, 5_020);
    estimator.add(1_000_000 + 6_000, 6_300);
    estimator.add(1_000_000 + 7_000, 7_080);
    expect(estimator.offset(0)).toBe(1_000_000 - 20);
  });

  it('forgets samples older than its capacity, so a server clock correction is followed', () => {
    const estimator = new ClockOffsetEstimator(2);
    estimator.add(10_000, 0); // offset 10 000
    estimator.add(5_100, 100); // offset 5 000
    expect(estimator.offset(0)).toBe(10_000);
    estimator.add(5_200, 200); // the 10 000 sample falls out
    expect(estimator.offset(0)).toBe(5_000);
  });

  it('ignores a sample that is not a number', () => {
    const estimator = new ClockOffsetEstimator();
    estimator.add(Date.parse('not a date'), 10);
    expect(estimator.offset(7)).toBe(7);
  });

  it('corrects a TV clock that is minutes off: the timer matches the server', () => {
    const estimator = new ClockOffsetEstimator();
    const serverGeneratedAt = Date.parse('2026-11-27T10:00:00Z');
    const localMonotonicAtReceive = 123_456; // the TV has been up ~2 minutes
    estimator.add(serverGeneratedAt, localMonotonicAtReceive);
    const tenSecondsLater = localMonotonicAtReceive + 10_000;
    const now = tenSecondsLater + estimator.offset(0);
    expect(secondsSince('2026-11-27T09:55:00Z', now)).toBe(5 * 60 + 10);
  });
});

describe('secondsSince', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');
  it('counts whole seconds up', () => {
    expect(secondsSince('2026-11-27T09:59:00.400Z', now)).toBe(59);
  });
  it('never goes negative when the lead is stamped a moment in our future', () => {
    expect(secondsSince('2026-11-27T10:00:02Z', now)).toBe(0);
  });
  it('is null when there is nothing to time', () => {
    expect(secondsSince(null, now)).toBeNull();
    expect(secondsSince('garbage', now)).toBeNull();
  });
});

describe('createPracticeClock', () => {
  const instant = Date.parse('2026-11-27T14:05:00Z');
  it("shows the practice's wall clock, not the TV's", () => {
    expect(createPracticeClock('America/New_York').time(instant)).toBe('09:05');
    expect(createPracticeClock('Europe/London').time(instant)).toBe('14:05');
    expect(createPracticeClock('Australia/Sydney').date(instant)).toBe('Sat 28 Nov');
  });
  it('falls back to the TV zone for an unknown zone rather than breaking', () => {
    const clock = createPracticeClock('Not/A_Zone');
    expect(clock.timeZone).toBeUndefined();
    expect(clock.time(instant)).toMatch(/^\d\d:\d\d$/);
  });
});

describe('weekdayOf', () => {
  it("names the weekday of the board's calendar day, whatever the TV's zone", () => {
    expect(weekdayOf('2026-11-27')).toBe('Friday');
    expect(weekdayOf('2026-03-29')).toBe('Sunday');
    expect(weekdayOf('nope')).toBe('');
  });
});

describe('closedNotice', () => {
  const chicago = createPracticeClock('America/Chicago');
  // Thursday 26 Nov 2026, 23:30 in Chicago (05:30 UTC on the 27th).
  const lateThursday = Date.parse('2026-11-27T05:30:00Z');

  it('says when a closed practice opens next, on its own clock, naming the day when it is not today', () => {
    expect(closedNotice({ openNow: false, opensAt: '2026-11-27T14:00:00Z' }, chicago, lateThursday)).toBe('Closed · opens Fri 08:00');
    const earlyFriday = Date.parse('2026-11-27T12:00:00Z'); // 06:00
    expect(closedNotice({ openNow: false, opensAt: '2026-11-27T14:00:00Z' }, chicago, earlyFriday)).toBe('Closed · opens 08:00');
  });

  it('says only "Closed" with no opening in sight, and nothing while open or from an older server', () => {
    expect(closedNotice({ openNow: false, opensAt: null }, chicago, lateThursday)).toBe('Closed');
    expect(closedNotice({ openNow: true, opensAt: null }, chicago, lateThursday)).toBeNull();
    expect(closedNotice({}, chicago, lateThursday)).toBeNull();
  });
});
