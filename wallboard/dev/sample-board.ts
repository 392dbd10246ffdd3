// A made-up but plausible practice day for the preview server: leads arrive by an hour-of-day
// profile, get answered by staff of different speed, book or not; calls ring and get missed.
// Typed against the real contract, so the preview breaks the moment the contract changes.
// Preview only: nothing here is used by the board itself or by the server.

import { DateTime } from 'luxon';
import type { Channel, NotBookedReason } from '../../server/domain/domain.contract.js';
import type { BoardActivityV1, BoardHourV1, BoardStateV1 } from '../../server/live/board.contract.js';
import { BOARD_LABELS, MISSED_RATE_MIN_CALLS, OPEN_LEAD_WINDOW_DAYS } from '../../server/metrics/metrics.definitions.js';

const SPEED_CHANNELS: Channel[] = ['web_form', 'chat', 'social', 'referral', 'email', 'other'];
const CHANNEL_MIX: Array<[Channel, number]> = [
  ['phone', 0.42],
  ['web_form', 0.24],
  ['chat', 0.1],
  ['social', 0.08],
  ['referral', 0.08],
  ['walk_in', 0.04],
  ['email', 0.04],
];
const SOURCES = ['Google Ads', 'Organic search', 'Facebook', 'Dr Patel referral', 'Instagram', 'Google Business', '(none)'];
/** A busy group practice: long marketing source names and a big front desk, to check nothing is cut. */
const BUSY_SOURCES = [
  'Referral: Dr Anderson-Whitfield Family Dentistry',
  'Google Ads – Invisalign spring campaign',
  'Facebook Lead Ads (new patient offer)',
  'Organic search',
  'Google Business Profile',
  'Instagram',
  'Word of mouth',
  '(none)',
];
const BUSY_STAFF = [
  { id: 'b1', name: 'Alexandra-Louise', speed: 60, skill: 0.55 },
  { id: 'b2', name: 'Christopher', speed: 240, skill: 0.4 },
  { id: 'b3', name: 'Oluwaseun', speed: 120, skill: 0.5 },
  { id: 'b4', name: 'Maximilian', speed: 600, skill: 0.3 },
  { id: 'b5', name: 'Anastasia K.', speed: 90, skill: 0.45 },
  { id: 'b6', name: 'Bartholomew', speed: 300, skill: 0.35 },
  { id: 'b7', name: 'Jacqueline', speed: 180, skill: 0.4 },
  { id: 'b8', name: 'Guadalupe', speed: 150, skill: 0.42 },
  { id: 'b9', name: 'Siobhan', speed: 200, skill: 0.38 },
  { id: 'b10', name: 'Ekaterina', speed: 100, skill: 0.5 },
  { id: 'b11', name: 'Muhammad', speed: 400, skill: 0.33 },
  { id: 'b12', name: 'Wilhelmina', speed: 250, skill: 0.36 },
];
const STAFF = [
  { id: 's1', name: 'Priya', speed: 60, skill: 0.55 },
  { id: 's2', name: 'Tom', speed: 240, skill: 0.4 },
  { id: 's3', name: 'Ana', speed: 120, skill: 0.5 },
  { id: 's4', name: 'Jamal', speed: 600, skill: 0.3 },
  { id: 's5', name: 'Sophie', speed: 90, skill: 0.45 },
  { id: 's6', name: 'Kwame', speed: 300, skill: 0.35 },
  { id: 's7', name: 'Lea', speed: 180, skill: 0.4 },
];
const REASONS: NotBookedReason[] = ['price', 'scheduling', 'insurance_out_of_network', 'treatment_not_offered', 'no_response', 'other'];
/** Typical leads per hour of the day (practice-local), weekday shape. */
const HOUR_PROFILE = [0, 0, 0, 0, 0, 0, 0.2, 0.8, 2.4, 3.6, 3.4, 2.8, 2.2, 2.6, 3.0, 2.6, 2.2, 1.6, 0.9, 0.6, 0.4, 0.3, 0.1, 0];

interface Lead {
  id: string;
  createdAt: number;
  channel: Channel;
  source: string;
  isNew: boolean;
  respondedAt: number | null;
  staff: (typeof STAFF)[number] | null;
  status: 'open' | 'contacted' | 'booked' | 'not_booked';
}

/** Deterministic pseudo-random numbers (mulberry32), so two preview runs look alike. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleOptions {
  timeZone: string;
  /** Practice-local day to show (`YYYY-MM-DD`); default today. Try 2026-10-25 for a 25-hour day. */
  day?: string;
  /** Added to every server timestamp, to check the TV's clock-skew correction. */
  serverSkewMs?: number;
  seed?: number;
  /** A fixed server clock (epoch ms), for tests and screenshots that must look the same each run. */
  now?: number;
  /** A big, busy practice: about 25 times the leads and calls, long source and staff names, a lead
   * waiting for two days: the worst case for fitting text on the board. */
  busy?: boolean;
}

export class SamplePractice {
  private readonly random: () => number;
  private readonly leads: Lead[] = [];
  private readonly activity: BoardActivityV1[] = [];
  /** Calls that started in opening hours (08:00-18:00 here); the rest are counted apart, as the server does. */
  private readonly calls = { answered: 0, missed: 0, voicemail: 0, abandoned: 0, ringing: 0 };
  private readonly afterHours = { answered: 0, missed: 0, voicemail: 0, abandoned: 0 };
  private readonly hours: Array<{ start: number; label: string; typical: number }>;
  private lastWeekRatio: number;
  private nextId = 1;
  private readonly sources: string[];
  private readonly staff: typeof STAFF;
  private readonly volume: number;

  constructor(private readonly options: SampleOptions) {
    this.random = rng(options.seed ?? 7);
    this.sources = options.busy ? BUSY_SOURCES : SOURCES;
    this.staff = options.busy ? BUSY_STAFF : STAFF;
    this.volume = options.busy ? 25 : 1;
    const zone = options.timeZone;
    const dayStart = options.day ? DateTime.fromISO(options.day, { zone }).startOf('day') : DateTime.fromMillis(this.now(), { zone }).startOf('day');
    const dayEnd = dayStart.plus({ days: 1 });
    this.hours = [];
    // Step in UTC so a 23- or 25-hour day gets 23 or 25 hours, labelled as the wall clock reads.
    for (let t = dayStart.toUTC(); t < dayEnd; t = t.plus({ hours: 1 })) {
      const local = t.setZone(zone);
      this.hours.push({ start: t.toMillis(), label: local.toFormat('HH:00'), typical: HOUR_PROFILE[local.hour] ?? 0 });
    }
    this.lastWeekRatio = 0.8 + this.random() * 0.3;
    this.seedDay();
  }

  /** The server's clock, skewed on purpose when asked. */
  now(): number {
    return (this.options.now ?? Date.now()) + (this.options.serverSkewMs ?? 0);
  }

  /** Advance the simulation by one step (about a second of a busy practice). */
  step(): void {
    const now = this.now();
    // Busier than a real practice (a lead every ~40 s) so the preview visibly moves.
    const r = this.random();
    if (r < 0.025) this.addLead(now);
    else if (r < 0.05) this.respondOne(now);
    else if (r < 0.065) this.decideOne(now, true);
    else if (r < 0.075) this.decideOne(now, false);
    const c = this.random();
    if (c < 0.05) this.endCall(now, 'answered');
    else if (c < 0.056) this.endCall(now, 'missed');
    else if (c < 0.059) this.endCall(now, 'voicemail');
    else if (c < 0.061) this.endCall(now, 'abandoned');
    if (this.random() < 0.1) this.calls.ringing = Math.floor(this.random() * 3);
  }

  state(): BoardStateV1 {
    const now = this.now();
    const today = this.leads;
    const isToday = (l: Lead) => l.createdAt >= this.hours[0]!.start;
    const todays = today.filter(isToday);
    const newOnes = todays.filter((l) => l.isNew);
    const byChannel = CHANNEL_MIX.map(([channel]) => ({
      channel,
      newPatients: todays.filter((l) => l.channel === channel && l.isNew).length,
      existingPatients: todays.filter((l) => l.channel === channel && !l.isNew).length,
    }));
    const bySource = this.sources
      .map((source) => ({
        source,
        newPatients: todays.filter((l) => l.source === source && l.isNew).length,
        existingPatients: todays.filter((l) => l.source === source && !l.isNew).length,
      }))
      .filter((s) => s.newPatients + s.existingPatients > 0)
      .sort((a, b) => b.newPatients - a.newPatients);

    const responseTimes = todays.filter((l) => SPEED_CHANNELS.includes(l.channel) && l.respondedAt !== null).map((l) => (l.respondedAt! - l.createdAt) / 1000);
    const waiting = today.filter((l) => l.status === 'open' && l.respondedAt === null).sort((a, b) => a.createdAt - b.createdAt);
    const booked = today.filter((l) => l.status === 'booked');
    const bookedFromToday = newOnes.filter((l) => l.status === 'booked').length;
    const inbound = this.calls.answered + this.calls.missed + this.calls.voicemail + this.calls.abandoned;

    // New-patient leads per hour, as the server counts them since contract V1.1.
    const hourly: BoardHourV1[] = this.hours.map((h, i) => {
      const end = this.hours[i + 1]?.start ?? h.start + 3_600_000;
      const median = h.typical * 1.4 * 0.78 * this.volume;
      return {
        start: new Date(h.start).toISOString(),
        label: h.label,
        leads: h.start > now ? null : newOnes.filter((l) => l.createdAt >= h.start && l.createdAt < end).length,
        typicalLow: Math.max(0, Math.round(median * 0.55 * 10) / 10),
        typicalMedian: Math.round(median * 10) / 10,
        typicalHigh: Math.round((median * 1.55 + (median > 0 ? 0.8 : 0)) * 10) / 10,
      };
    });

    const leaderboard = this.staff
      .map((s) => {
        const handled = todays.filter((l) => l.staff?.id === s.id);
        const times = handled.filter((l) => l.respondedAt !== null).map((l) => (l.respondedAt! - l.createdAt) / 1000);
        const bookings = booked.filter((l) => l.staff?.id === s.id).length;
        return {
          staffId: s.id,
          displayName: s.name,
          bookings,
          leadsHandled: handled.length,
          conversionRate: handled.length ? handled.filter((l) => l.status === 'booked').length / handled.length : null,
          handledBooked: handled.filter((l) => l.status === 'booked').length,
          medianResponseSeconds: quantile(times, 0.5),
          responses: times.length,
        };
      })
      .filter((r) => r.leadsHandled > 0)
      .sort((a, b) => b.bookings - a.bookings || b.leadsHandled - a.leadsHandled);

    return {
      practice: {
        name: this.options.busy ? 'Riverside Dental & Implant Centre, Kingston upon Thames' : 'Riverside Dental & Implants',
        timeZone: this.options.timeZone,
        currency: 'GBP',
      },
      day: DateTime.fromMillis(this.hours[0]!.start, { zone: this.options.timeZone }).toISODate()!,
      generatedAt: new Date(now).toISOString(),
      thresholds: { waitingAmberSeconds: 300, waitingRedSeconds: 900, missedRateAmber: 0.1, missedRateRed: 0.2 },
      leads: {
        total: todays.length,
        newPatients: newOnes.length,
        existingPatients: todays.length - newOnes.length,
        newPatientsSameTimeLastWeek: Math.round(newOnes.length * this.lastWeekRatio),
        byChannel,
        bySource,
      },
      calls: {
        inbound,
        ...this.calls,
        missedRate: inbound ? (this.calls.missed + this.calls.voicemail + this.calls.abandoned) / inbound : null,
        unanswered: this.calls.missed + this.calls.voicemail + this.calls.abandoned,
        rateMinimumCalls: MISSED_RATE_MIN_CALLS,
        afterHours: {
          ...this.afterHours,
          inbound: this.afterHours.answered + this.afterHours.missed + this.afterHours.voicemail + this.afterHours.abandoned,
          unanswered: this.afterHours.missed + this.afterHours.voicemail + this.afterHours.abandoned,
        },
      },
      speedToLead: {
        channels: SPEED_CHANNELS,
        responded: responseTimes.length,
        medianSeconds: quantile(responseTimes, 0.5),
        p90Seconds: quantile(responseTimes, 0.9),
        notYetResponded: todays.filter((l) => SPEED_CHANNELS.includes(l.channel) && l.respondedAt === null).length,
      },
      waiting: {
        count: waiting.length,
        windowDays: OPEN_LEAD_WINDOW_DAYS,
        oldestCreatedAt: waiting[0] ? new Date(waiting[0].createdAt).toISOString() : null,
        oldest: waiting.slice(0, 5).map((l) => ({
          leadId: l.id,
          createdAt: new Date(l.createdAt).toISOString(),
          channel: l.channel,
          source: l.source,
        })),
      },
      bookings: {
        booked: booked.length,
        bookedValue: booked.length * 650,
        bookedFromTodaysLeads: bookedFromToday,
        conversionRate: newOnes.length ? bookedFromToday / newOnes.length : null,
        breakdown: {
          fromTodaysNewPatientLeads: bookedFromToday,
          fromEarlierNewPatientLeads: booked.filter((l) => l.isNew && !isToday(l)).length,
          existingPatients: booked.filter((l) => !l.isNew).length,
          newPatientBookedValue: booked.filter((l) => l.isNew).length * 650,
        },
      },
      leaderboard,
      hourly,
      activity: this.activity.slice(0, 20),
      onPace: this.options.busy
        ? {
            actual: newOnes.length,
            expectedByNow: newOnes.length * 1.18,
            low: Math.round(newOnes.length * 1.05),
            high: Math.round(newOnes.length * 1.3),
            expectedToday: newOnes.length * 1.9,
            status: 'behind',
          }
        : null,
      followUps: {
        due: waiting.length + Math.round(booked.length * 0.3),
        missedCallsNoCallback: Math.round(this.calls.missed * 0.4),
      },
      labels: BOARD_LABELS,
    };
  }

  // --- simulation ---------------------------------------------------------------------------

  private seedDay(): void {
    const now = this.now();
    for (const h of this.hours) {
      if (h.start > now) break;
      const portion = Math.min(1, (now - h.start) / 3_600_000);
      const n = poisson(h.typical * 1.4 * portion * this.volume, this.random);
      for (let i = 0; i < n; i++) {
        const createdAt = h.start + this.random() * portion * 3_600_000;
        const lead = this.addLead(createdAt, false);
        if (now - createdAt > 25 * 60_000) {
          this.respond(lead, Math.min(now, createdAt + this.responseDelay()));
          const roll = this.random();
          if (roll < (lead.staff?.skill ?? 0.4)) lead.status = 'booked';
          else if (roll < 0.75) lead.status = 'not_booked';
        }
      }
      const callsThisHour = poisson(h.typical * 2 * portion * this.volume, this.random);
      const hour = Number(h.label.slice(0, 2));
      const open = hour >= 8 && hour < 18;
      for (let i = 0; i < callsThisHour; i++) {
        const c = this.random();
        if (!open) this.afterHours[c < 0.2 ? 'answered' : 'voicemail']++;
        else if (c < 0.86) this.calls.answered++;
        else if (c < 0.93) this.calls.missed++;
        else if (c < 0.97) this.calls.voicemail++;
        else this.calls.abandoned++;
      }
    }
    // A few leads nobody has reached yet, so the waiting timers show each colour.
    const waitingAges = this.options.busy ? [3071, 17.5, 7.2, 3.1, 1.4] : [17.5, 7.2, 3.1, 1.4];
    for (const minutesAgo of waitingAges) this.addLead(now - minutesAgo * 60_000, false, 'web_form');
    this.activity.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    this.activity.splice(20);
  }

  private addLead(at: number, log = true, channel?: Channel): Lead {
    const lead: Lead = {
      id: `lead-${this.nextId++}`,
      createdAt: at,
      channel: channel ?? pick(CHANNEL_MIX, this.random),
      source: this.sources[Math.floor(this.random() * this.sources.length)]!,
      isNew: this.random() < 0.78,
      respondedAt: null,
      staff: null,
      status: 'open',
    };
    this.leads.push(lead);
    this.log(at, 'lead_created', lead, log);
    return lead;
  }

  private responseDelay(): number {
    return (20 + this.random() * 400) * 1000;
  }

  private respond(lead: Lead, at: number, log = false): void {
    lead.staff = this.staff[Math.floor(this.random() * this.staff.length)]!;
    lead.respondedAt = Math.max(lead.createdAt + 5_000, at);
    lead.status = 'contacted';
    this.log(lead.respondedAt, 'lead_responded', lead, log);
  }

  private respondOne(now: number): void {
    const open = this.leads.filter((l) => l.respondedAt === null);
    // Usually the newest gets answered first — which is why the oldest keeps waiting.
    const lead = open[open.length - 1 - Math.floor(this.random() * Math.min(2, open.length))];
    if (lead && open.length > 3) this.respond(lead, now, true);
  }

  private decideOne(now: number, booked: boolean): void {
    const lead = this.leads.find((l) => l.status === 'contacted');
    if (!lead) return;
    lead.status = booked ? 'booked' : 'not_booked';
    this.log(now, booked ? 'lead_booked' : 'lead_not_booked', lead, true);
  }

  private endCall(now: number, outcome: 'answered' | 'missed' | 'voicemail' | 'abandoned'): void {
    this.calls[outcome]++;
    const staff = outcome === 'answered' ? this.staff[Math.floor(this.random() * this.staff.length)]!.name : null;
    this.push({
      id: `act-${this.nextId++}`,
      at: new Date(now).toISOString(),
      kind: `call_${outcome}`,
      channel: 'phone',
      source: null,
      staff,
      reason: null,
      responseSeconds: null,
    });
  }

  private log(at: number, kind: BoardActivityV1['kind'], lead: Lead, push: boolean): void {
    const item: BoardActivityV1 = {
      id: `act-${this.nextId++}`,
      at: new Date(at).toISOString(),
      kind,
      channel: lead.channel,
      source: lead.source,
      staff: kind === 'lead_created' ? null : (lead.staff?.name ?? null),
      reason: kind === 'lead_not_booked' ? REASONS[Math.floor(this.random() * REASONS.length)]! : null,
      responseSeconds: kind === 'lead_responded' && lead.respondedAt !== null ? Math.round((lead.respondedAt - lead.createdAt) / 1000) : null,
    };
    if (push) this.push(item);
    else this.activity.push(item);
  }

  /** Newest first, bounded: the preview runs for days too. */
  private push(item: BoardActivityV1): void {
    this.activity.unshift(item);
    this.activity.splice(20);
  }
}

function pick<T>(weighted: Array<[T, number]>, random: () => number): T {
  let r = random() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [value, weight] of weighted) if ((r -= weight) <= 0) return value;
  return weighted[weighted.length - 1]![0];
}

function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}
