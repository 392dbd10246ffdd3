import { expectedArrivalsByHour, hourOfWeekProfile, onPace } from './intraday.js';
import { projectRevenue } from './revenue.js';

describe('intraday', () => {
  // Mondays (2026-11-23, 2026-11-30): 3 calls at 9:00, 1 at 10:00.
  const history = ['2026-11-23', '2026-11-30'].flatMap((date) => [
    { date, hour: 9, count: 3 },
    { date, hour: 10, count: 1 },
  ]);

  it('builds per-weekday shares that sum to one, zero for unseen weekdays', () => {
    const profile = hourOfWeekProfile(history, 0);
    expect(profile[9]).toBeCloseTo(0.75, 12);
    expect(profile[10]).toBeCloseTo(0.25, 12);
    expect(profile.slice(24, 48).every((x) => x === 0)).toBe(true); // Tuesday never seen
    expect(hourOfWeekProfile([]).every((x) => x === 0)).toBe(true);
    const smoothed = hourOfWeekProfile(history, 8);
    expect(smoothed.slice(0, 24).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
  });

  it('spreads a daily forecast and gives an on-pace count band', () => {
    const profile = hourOfWeekProfile(history, 0);
    const hours = expectedArrivalsByHour([{ date: '2026-12-07', mean: 8 }], profile);
    expect(hours).toHaveLength(24);
    expect(hours[9]!.mean).toBeCloseTo(6, 12);
    const pace = onPace(profile, '2026-12-07', 10.5, { mean: 8, variance: 8 });
    expect(pace.shareOfDay).toBeCloseTo(0.875, 12);
    expect(pace.expected).toBeCloseTo(7, 12);
    // Poisson(7): P(X<=3)=0.082, P(X<=4)=0.173, P(X<=10)=0.901
    expect(pace.intervals[0]).toEqual({ level: 80, lower: 4, upper: 10 });
    const closed = onPace(profile, '2026-12-08', 12, { mean: 8, variance: 8 });
    expect(closed.expected).toBe(0);
    expect(closed.intervals[1]).toEqual({ level: 95, lower: 0, upper: 0 });
  });
});

describe('projectRevenue', () => {
  const history = [
    { channel: 'phone', leads: 400, booked: 200, bookedValues: new Array(200).fill(1000) },
    { channel: 'web_form', leads: 300, booked: 60, bookedValues: new Array(60).fill(1000) },
    { channel: 'referral', leads: 200, booked: 120, bookedValues: new Array(120).fill(1000) },
    { channel: 'chat', leads: 4, booked: 4, bookedValues: [1000, 1000, 1000, 1000] },
  ];
  const forecast = history.map(({ channel }) => ({
    channel,
    periods: [
      { mean: 20, variance: 30 },
      { mean: 20, variance: 30 },
    ],
  }));

  it('shrinks small channels toward the overall rate and is seeded', () => {
    const a = projectRevenue(history, forecast, { seed: 9, paths: 2000 });
    const chat = a.channels.find((c) => c.channel === 'chat')!;
    expect(chat.observedRate).toBe(1);
    expect(chat.bookingRate).toBeLessThan(0.8);
    expect(chat.bookingRate).toBeGreaterThan(384 / 904);
    const phone = a.channels.find((c) => c.channel === 'phone')!;
    expect(phone.bookingRate).toBeCloseTo(0.5, 1);
    expect(a.total.lo95).toBeLessThan(a.total.lo80);
    expect(a.total.lo80).toBeLessThan(a.total.mean);
    expect(a.total.hi80).toBeGreaterThan(a.total.mean);
    expect(a.periods).toHaveLength(2);
    expect(projectRevenue(history, forecast, { seed: 9, paths: 2000 })).toEqual(a);
  });

  it('gives zero revenue without history', () => {
    const empty = projectRevenue([], [{ channel: 'phone', periods: [{ mean: 5, variance: 5 }] }], { paths: 100 });
    expect(empty.total).toEqual({ mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0 });
  });
});
