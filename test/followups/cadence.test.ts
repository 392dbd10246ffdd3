// Cadence due times without a database: weekends, the clock changes in New York and London, "next
// morning" on a Friday evening, "day 3" on a Sunday, holidays, lunch breaks, and what ends a cadence.

import { describe, expect, it } from '@jest/globals';
import {
  calendarIndex,
  cadenceSchema,
  DEFAULT_CADENCE,
  nextDue,
  nextOpeningAt,
  nextStep,
  type LeadFacts,
  type PracticeCalendar,
} from '../../server/followups/cadence.js';
import type { OpeningHours } from '../../server/domain/domain.contract.js';
import type { Cadence } from '../../server/followups/followups.contract.js';

const WEEKDAYS_8_TO_5: OpeningHours = {
  mon: [['08:00', '17:00']],
  tue: [['08:00', '17:00']],
  wed: [['08:00', '17:00']],
  thu: [['08:00', '17:00']],
  fri: [['08:00', '17:00']],
};
const newYork: PracticeCalendar = { timeZone: 'America/New_York', openingHours: WEEKDAYS_8_TO_5 };
const london: PracticeCalendar = { timeZone: 'Europe/London', openingHours: WEEKDAYS_8_TO_5 };

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
const lead = (createdAt: string, extra: Partial<LeadFacts> = {}): LeadFacts => ({
  createdAt: new Date(createdAt),
  status: 'open',
  firstResponseAt: null,
  doNotContactAt: null,
  ...extra,
});
const attempts = (...ats: string[]) => ats.map((at) => ({ at: new Date(at) }));

describe('the default cadence (call now, text after 1 hour, call next morning, email on day 3, max 5)', () => {
  it('is the issue example', () => {
    expect(DEFAULT_CADENCE.steps.map((s) => s.kind)).toEqual(['call', 'text', 'call', 'email']);
    expect(DEFAULT_CADENCE.maxAttempts).toBe(5);
    expect(cadenceSchema.safeParse(DEFAULT_CADENCE).success).toBe(true);
  });

  it('first step: now, while the practice is open', () => {
    // Tuesday 2026-06-02 10:15 EDT
    const step = nextStep(lead('2026-06-02T14:15:00Z'), [], DEFAULT_CADENCE, newYork);
    expect(step).toEqual({ due: new Date('2026-06-02T14:15:00Z'), kind: 'call', index: 0 });
  });

  it('a lead arriving on Saturday is due at Monday opening', () => {
    // Saturday 2026-06-06 11:00 EDT -> Monday 2026-06-08 08:00 EDT = 12:00Z
    expect(iso(nextDue(lead('2026-06-06T15:00:00Z'), [], DEFAULT_CADENCE, newYork))).toBe('2026-06-08T12:00:00.000Z');
  });

  it('text after 1 hour on a Friday afternoon crosses the weekend and the spring-forward change (New York, 2026-03-08)', () => {
    // Friday 2026-03-06 16:30 EST (21:30Z): called at 16:45 EST; 17:45 is closed -> Monday 08:00 EDT (12:00Z, not 13:00Z)
    const step = nextStep(lead('2026-03-06T21:30:00Z'), attempts('2026-03-06T21:45:00Z'), DEFAULT_CADENCE, newYork);
    expect(step?.kind).toBe('text');
    expect(step?.index).toBe(1);
    expect(iso(step?.due)).toBe('2026-03-09T12:00:00.000Z');
  });

  it('"next morning" on a Friday evening is Monday opening, across the fall-back change (New York, 2026-11-01)', () => {
    // Friday 2026-10-30, attempts at 15:00 and 16:10 EDT -> Monday 2026-11-02 08:00 EST = 13:00Z
    const due = nextDue(lead('2026-10-30T18:55:00Z'), attempts('2026-10-30T19:00:00Z', '2026-10-30T20:10:00Z'), DEFAULT_CADENCE, newYork);
    expect(iso(due)).toBe('2026-11-02T13:00:00.000Z');
  });

  it('"next morning" across the London changes (2026-03-29 and 2026-10-25)', () => {
    // Friday 2026-03-27 16:00 GMT -> Monday 2026-03-30 08:00 BST = 07:00Z
    expect(iso(nextDue(lead('2026-03-27T15:00:00Z'), attempts('2026-03-27T15:30:00Z', '2026-03-27T16:00:00Z'), DEFAULT_CADENCE, london))).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    // Friday 2026-10-23 16:00 BST -> Monday 2026-10-26 08:00 GMT = 08:00Z
    expect(iso(nextDue(lead('2026-10-23T14:00:00Z'), attempts('2026-10-23T14:30:00Z', '2026-10-23T15:00:00Z'), DEFAULT_CADENCE, london))).toBe(
      '2026-10-26T08:00:00.000Z',
    );
  });

  it('"next morning" from a Tuesday is Wednesday opening, in local time', () => {
    // Tuesday 2026-06-02 11:00 BST -> Wednesday 08:00 BST = 07:00Z
    expect(iso(nextDue(lead('2026-06-02T09:00:00Z'), attempts('2026-06-02T09:05:00Z', '2026-06-02T10:00:00Z'), DEFAULT_CADENCE, london))).toBe(
      '2026-06-03T07:00:00.000Z',
    );
  });

  it('"day 3" landing on a Sunday moves to Monday opening', () => {
    // Thursday 2026-06-04 10:00 EDT; day 3 = Sunday 2026-06-07 (closed) -> Monday 2026-06-08 08:00 EDT = 12:00Z
    const step = nextStep(
      lead('2026-06-04T14:00:00Z'),
      attempts('2026-06-04T14:01:00Z', '2026-06-04T15:10:00Z', '2026-06-05T12:30:00Z'),
      DEFAULT_CADENCE,
      newYork,
    );
    expect(step?.kind).toBe('email');
    expect(iso(step?.due)).toBe('2026-06-08T12:00:00.000Z');
  });

  it('"day 3" on an open day is that day\'s opening, and never before the previous attempt', () => {
    // Monday 2026-06-01 lead; day 3 = Thursday 2026-06-04 08:00 EDT
    const three = attempts('2026-06-01T14:01:00Z', '2026-06-01T15:10:00Z', '2026-06-02T12:30:00Z');
    expect(iso(nextDue(lead('2026-06-01T14:00:00Z'), three, DEFAULT_CADENCE, newYork))).toBe('2026-06-04T12:00:00.000Z');
    // the third attempt was late, on Thursday at 10:00: the email is due then, not at 08:00
    const late = attempts('2026-06-01T14:01:00Z', '2026-06-01T15:10:00Z', '2026-06-04T14:00:00Z');
    expect(iso(nextDue(lead('2026-06-01T14:00:00Z'), late, DEFAULT_CADENCE, newYork))).toBe('2026-06-04T14:00:00.000Z');
  });
});

describe('elapsed minutes across the clock changes (a practice open around the clock)', () => {
  const allDay: OpeningHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '23:59']]]));
  const cadence: Cadence = {
    steps: [
      { kind: 'call', after: { minutes: 0 } },
      { kind: 'text', after: { minutes: 60 } },
    ],
    maxAttempts: 5,
  };
  it('an hour after 01:30 EST on 2026-03-08 is 03:30 EDT (one real hour)', () => {
    const due = nextDue(lead('2026-03-08T06:00:00Z'), attempts('2026-03-08T06:30:00Z'), cadence, { timeZone: 'America/New_York', openingHours: allDay });
    expect(iso(due)).toBe('2026-03-08T07:30:00.000Z');
  });
  it('an hour after 01:30 EDT on 2026-11-01 is 01:30 EST', () => {
    const due = nextDue(lead('2026-11-01T05:00:00Z'), attempts('2026-11-01T05:30:00Z'), cadence, { timeZone: 'America/New_York', openingHours: allDay });
    expect(iso(due)).toBe('2026-11-01T06:30:00.000Z');
  });
});

describe('opening hours', () => {
  it('a public holiday is closed: Christmas Friday -> Monday', () => {
    const practice = { ...newYork, closedDates: new Set(['2026-12-25']) };
    // Thursday 2026-12-24 16:00 EST, two attempts -> next morning would be Friday the 25th -> Monday the 28th 08:00 EST
    expect(iso(nextDue(lead('2026-12-24T20:00:00Z'), attempts('2026-12-24T20:05:00Z', '2026-12-24T21:00:00Z'), DEFAULT_CADENCE, practice))).toBe(
      '2026-12-28T13:00:00.000Z',
    );
  });
  it('a lunch break: 12:30 moves to 13:00', () => {
    const practice: PracticeCalendar = {
      timeZone: 'America/Chicago',
      openingHours: {
        wed: [
          ['13:00', '17:00'],
          ['08:00', '12:00'],
        ],
      },
    };
    // Wednesday 2026-06-03 12:30 CDT = 17:30Z -> 13:00 CDT = 18:00Z
    expect(iso(nextOpeningAt(new Date('2026-06-03T17:30:00Z'), practice))).toBe('2026-06-03T18:00:00.000Z');
    // 11:59 is open
    expect(iso(nextOpeningAt(new Date('2026-06-03T16:59:00Z'), practice))).toBe('2026-06-03T16:59:00.000Z');
    // 17:00 is closed: next Wednesday 08:00
    expect(iso(nextOpeningAt(new Date('2026-06-03T22:00:00Z'), practice))).toBe('2026-06-10T13:00:00.000Z');
  });
  it("'24:00' closes at midnight (hours stored as 00:00-24:00 mean open all day)", () => {
    const practice: PracticeCalendar = { timeZone: 'America/New_York', openingHours: { mon: [['00:00', '24:00']], tue: [['09:00', '10:00']] } };
    // Monday 2026-03-09 23:30 EDT is open; Tuesday 00:00 EDT (04:00Z) is not -> 09:00 EDT = 13:00Z
    expect(iso(nextOpeningAt(new Date('2026-03-10T03:30:00Z'), practice))).toBe('2026-03-10T03:30:00.000Z');
    expect(iso(nextOpeningAt(new Date('2026-03-10T04:00:00Z'), practice))).toBe('2026-03-10T13:00:00.000Z');
    const indexed = { ...practice, index: calendarIndex(practice, new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z')) };
    expect(iso(nextOpeningAt(new Date('2026-03-10T04:00:00Z'), indexed))).toBe('2026-03-10T13:00:00.000Z');
    expect(iso(nextOpeningAt(new Date('2026-03-10T03:30:00Z'), indexed))).toBe('2026-03-10T03:30:00.000Z');
  });
  it('a range inside the hour the clocks skip is closed that day', () => {
    const practice: PracticeCalendar = {
      timeZone: 'America/New_York',
      openingHours: {
        sun: [
          ['02:00', '03:00'],
          ['10:00', '11:00'],
        ],
      },
    };
    // Sunday 2026-03-08 01:00 EST: 02:00-03:00 does not exist that day -> 10:00 EDT = 14:00Z
    expect(iso(nextOpeningAt(new Date('2026-03-08T06:00:00Z'), practice))).toBe('2026-03-08T14:00:00.000Z');
  });
  it('a practice without opening hours is treated as always open', () => {
    const due = nextDue(lead('2026-06-06T15:00:00Z'), [], DEFAULT_CADENCE, { timeZone: 'UTC', openingHours: {} });
    expect(iso(due)).toBe('2026-06-06T15:00:00.000Z');
  });
});

describe('what ends a cadence', () => {
  const created = '2026-06-02T14:15:00Z';
  it('booking, not booked, do-not-contact, a merge', () => {
    expect(nextDue(lead(created, { status: 'booked' }), [], DEFAULT_CADENCE, newYork)).toBeNull();
    expect(nextDue(lead(created, { status: 'not_booked' }), [], DEFAULT_CADENCE, newYork)).toBeNull();
    expect(nextDue(lead(created, { doNotContactAt: new Date('2026-06-02T15:00:00Z') }), [], DEFAULT_CADENCE, newYork)).toBeNull();
    expect(nextDue(lead(created, { mergedIntoLeadId: 'b4d8c1a0-0000-4000-8000-000000000000' }), [], DEFAULT_CADENCE, newYork)).toBeNull();
  });
  it('a contacted (reached) lead stays in its cadence until booked', () => {
    expect(nextDue(lead(created, { status: 'contacted' }), attempts('2026-06-02T14:20:00Z'), DEFAULT_CADENCE, newYork)).not.toBeNull();
  });
  it('maxAttempts reached, or every step done', () => {
    const capped: Cadence = { ...DEFAULT_CADENCE, maxAttempts: 2 };
    expect(nextDue(lead(created), attempts('2026-06-02T14:20:00Z'), capped, newYork)).not.toBeNull();
    expect(nextDue(lead(created), attempts('2026-06-02T14:20:00Z', '2026-06-02T15:20:00Z'), capped, newYork)).toBeNull();
    const four = attempts('2026-06-02T14:20:00Z', '2026-06-02T15:20:00Z', '2026-06-03T12:00:00Z', '2026-06-05T12:00:00Z');
    expect(nextDue(lead(created), four, DEFAULT_CADENCE, newYork)).toBeNull();
  });
  it('a first response without a logged attempt counts as the first attempt', () => {
    const step = nextStep(lead(created, { firstResponseAt: new Date('2026-06-02T14:30:00Z') }), [], DEFAULT_CADENCE, newYork);
    expect(step).toEqual({ due: new Date('2026-06-02T15:30:00Z'), kind: 'text', index: 1 });
    // counts and times may be given instead of the attempts
    expect(nextStep(lead(created), { count: 1, lastAt: new Date('2026-06-02T14:30:00Z') }, DEFAULT_CADENCE, newYork)).toEqual(step);
  });
});

describe('cadenceSchema', () => {
  const fields = (value: unknown) => {
    const result = cadenceSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };
  it('names the field at fault', () => {
    expect(fields({ steps: [], maxAttempts: 3 })).toEqual(['steps']);
    expect(fields({ steps: [{ kind: 'fax', after: { minutes: 0 } }], maxAttempts: 3 })).toEqual(['steps.0.kind']);
    expect(fields({ steps: [{ kind: 'call', after: { hours: 2 } }], maxAttempts: 3 })).toEqual(['steps.0.after']);
    expect(fields({ steps: [{ kind: 'call', after: { minutes: -1 } }], maxAttempts: 3 })).toEqual(['steps.0.after.minutes']);
    expect(fields({ steps: [{ kind: 'call', after: { days: 3 } }], maxAttempts: 0 })).toEqual(['maxAttempts']);
    expect(fields({ steps: [{ kind: 'call', after: { nextOpeningMorning: true } }], maxAttempts: 1 })).toEqual([]);
  });
});

describe('the precomputed calendar index', () => {
  // A small deterministic generator, so a failure can be replayed.
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const calendars: PracticeCalendar[] = [
    newYork,
    london,
    {
      timeZone: 'Australia/Sydney',
      openingHours: {
        mon: [
          ['08:00', '12:00'],
          ['13:00', '18:00'],
        ],
        sat: [['09:00', '13:00']],
      },
    },
    { timeZone: 'America/Chicago', openingHours: { tue: [['01:30', '03:30']], sun: [['00:00', '23:59']] }, closedDates: new Set(['2026-03-10', '2026-11-03']) },
    // Sunday hours inside the skipped (2026-03-08) and the repeated (2026-11-01) hour, and overlapping ranges
    {
      timeZone: 'America/New_York',
      openingHours: {
        sun: [
          ['02:00', '03:00'],
          ['01:00', '02:30'],
          ['10:00', '11:00'],
        ],
        wed: [
          ['08:00', '14:00'],
          ['10:00', '12:00'],
        ],
      },
    },
    { timeZone: 'Europe/London', openingHours: { sat: [['00:00', '24:00']], sun: [['00:00', '24:00']], mon: [['22:00', '24:00']] } },
  ];
  it('gives the same due times as the direct computation, across both clock changes', () => {
    const base = Date.parse('2026-02-20T00:00:00Z');
    const span = 300 * 86_400_000;
    for (const calendar of calendars) {
      const indexed = { ...calendar, index: calendarIndex(calendar, new Date(base - 86_400_000), new Date(base + span + 120 * 86_400_000)) };
      for (let i = 0; i < 400; i++) {
        const created = new Date(base + Math.floor(random() * span));
        const times = Array.from({ length: Math.floor(random() * 4) }, () => new Date(created.getTime() + Math.floor(random() * 5 * 86_400_000)));
        const facts = lead(created.toISOString());
        const direct = nextStep(
          facts,
          times.map((at) => ({ at })),
          DEFAULT_CADENCE,
          calendar,
        );
        const fast = nextStep(
          facts,
          times.map((at) => ({ at })),
          DEFAULT_CADENCE,
          indexed,
        );
        expect({ calendar: calendar.timeZone, created: iso(created), times: times.map(iso), due: iso(fast?.due) }).toEqual({
          calendar: calendar.timeZone,
          created: iso(created),
          times: times.map(iso),
          due: iso(direct?.due),
        });
        const instant = new Date(base + Math.floor(random() * span));
        expect(iso(nextOpeningAt(instant, indexed))).toBe(iso(nextOpeningAt(instant, calendar)));
      }
    }
  });
});
