// The practice simulator: a pure, seeded generator of what happens at a practice on a given day,
// as the ingest API would hear it. Each day draws from its own random stream (seed + date), so any
// day can be generated alone and always comes out the same.
//
// The model, in short:
// - Enquiries arrive as a non-homogeneous Poisson process in 15-minute slots. Rate = base x weekday
//   x season x trend (x holiday) x the channel's share x its hour-of-day shape, damped while closed
//   (phones rarely ring for a closed office; web forms do not care).
// - Every phone enquiry and every other inbound call rings the desk. A call is answered when a staff
//   member on shift, not already on a call, picks up before the caller gives up or voicemail takes
//   over; so overlapping calls are missed more. Unanswered callers become leads when they leave a
//   message (or sometimes just from caller id) and get called back.
// - Other leads get a first response after a delay set by the channel, the responder's speed and
//   whether the practice is open; some need several contact attempts, a few never get an answer.
// - Booking probability = base x channel x treatment x staff skill x speed-to-lead factor, which
//   falls from 1 within a minute to ~0.35 after a few hours. Not-booked leads get a reason.

import type { z } from 'zod';
import type { Channel, ContactKind, NotBookedReason, ResponseVia } from '../domain/domain.contract.js';
import type { callSchema } from '../calls/call.schema.js';
import type { createLeadSchema, leadEventSchema } from '../leads/lead.schemas.js';
import { fakePatient, fakePhone } from './fake-patients.js';
import { addDays, daysBetween } from '../common/local-date.js';
import { minutesOf, PracticeCalendar, type CalendarDay } from './practice-calendar.js';
import type { BookingProfile, PracticeProfile, TreatmentProfile } from './practice-profile.js';
import { hashSeed, Random } from './random.js';

/** What the simulator produces: API request bodies, before validation (ISO strings for times). */
export type LeadRequest = z.input<typeof createLeadSchema>;
export type LeadEventRequest = z.input<typeof leadEventSchema>;
export type CallRequest = z.input<typeof callSchema>;

/** Create a lead. `ref` is the simulator's key for it (equal to its externalId). */
export interface LeadAction {
  at: Date;
  kind: 'lead';
  ref: string;
  input: LeadRequest;
}

/** Something that happened to a lead. `lead` is the lead's own create request, so a driver that
 * has not seen the lead (it was created on an earlier day) can resolve it idempotently. */
export interface LeadEventAction {
  at: Date;
  kind: 'lead_event';
  ref: string;
  lead: LeadRequest;
  input: LeadEventRequest;
}

/** A message from the phone system. When the call belongs to a lead, `leadRef`/`lead` name it and
 * the driver fills in `leadId` once it knows the lead's id. */
export interface CallAction {
  at: Date;
  kind: 'call';
  leadRef?: string;
  lead?: LeadRequest;
  input: CallRequest;
}

export type SimulatedAction = LeadAction | LeadEventAction | CallAction;

export interface SimulationOptions {
  /** Same seed, same practice history. */
  seed: number | string;
  /** Staff ids by display name; a name left out gets `simulatedStaffId(name)`. */
  staffIds?: Readonly<Record<string, string>>;
}

/** The actions of one local day. */
export interface SimulatedDay {
  day: string;
  actions: SimulatedAction[];
}

/** No lead's story lasts longer than this after it arrives, so a day's actions are complete once
 * this many earlier days have been generated. */
export const MAX_LEAD_LIFETIME_DAYS = 21;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SLOT = 15 * MINUTE;
const SLOTS_PER_HOUR = HOUR / SLOT;

/** A stable, valid (version-4 shaped) UUID for a display name, for simulations without real staff. */
export function simulatedStaffId(name: string): string {
  const hex = [1, 2, 3, 4].map((part) => hashSeed('staff', name, part).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The speed-to-lead factor on the booking probability: 1 up to `fullMinutes`, then falling linearly
 * in log(minutes) to `floor` at `floorMinutes`, flat after. With the demo numbers: 1 at 1 min,
 * ~0.80 at 5 min, ~0.57 at 30 min, ~0.49 at 1 h, 0.35 from 3 h.
 */
export function speedToLeadFactor(speed: BookingProfile['speed'], minutes: number): number {
  if (minutes <= speed.fullMinutes) return 1;
  const progress = Math.log(minutes / speed.fullMinutes) / Math.log(speed.floorMinutes / speed.fullMinutes);
  return Math.max(speed.floor, 1 - (1 - speed.floor) * progress);
}

/**
 * Everything that starts on `day` (practice-local 'YYYY-MM-DD'): its enquiries and calls, and
 * each lead's later events, which may fall on the following days (up to MAX_LEAD_LIFETIME_DAYS).
 * Sorted by time. Deterministic in (profile, day, seed). Cost O(arrivals), ~0.1 ms for the demo.
 */
export function simulateDay(profile: PracticeProfile, day: string, options: SimulationOptions): SimulatedAction[] {
  return new DaySimulation(modelOf(profile), day, options).run();
}

/**
 * The actions that happen on each local day of [from, to), in time order, day by day (lazily).
 * Leads that arrived up to `lookbackDays` before `from` contribute their later events too: use 0
 * for a history that starts at `from`, MAX_LEAD_LIFETIME_DAYS to continue one (the live simulator).
 */
export function* simulateDays(
  profile: PracticeProfile,
  range: { from: string; to: string; lookbackDays?: number },
  options: SimulationOptions,
): Generator<SimulatedDay> {
  const model = modelOf(profile);
  let pending: SimulatedAction[] = [];
  const lookback = range.lookbackDays ?? 0;
  for (let day = addDays(range.from, -lookback); day < range.to; day = addDays(day, 1)) {
    // Stable sort: ties keep emission order, which is causal (ringing before the lead it creates).
    pending = pending.concat(new DaySimulation(model, day, options).run()).sort((a, b) => a.at.getTime() - b.at.getTime());
    const end = model.calendar.day(day).end;
    const split = pending.findIndex((action) => action.at.getTime() >= end);
    const today = split < 0 ? pending : pending.slice(0, split);
    pending = split < 0 ? [] : pending.slice(split);
    if (day >= range.from) yield { day, actions: today };
  }
}

/** All actions that happen on one local day, including later events of leads from earlier days. */
export function actionsOnDay(profile: PracticeProfile, day: string, options: SimulationOptions): SimulatedAction[] {
  const [only] = simulateDays(profile, { from: day, to: addDays(day, 1), lookbackDays: MAX_LEAD_LIFETIME_DAYS }, options);
  return only?.actions ?? [];
}

/** What the simulator derives once per profile. */
interface PracticeModel {
  profile: PracticeProfile;
  calendar: PracticeCalendar;
  channels: readonly Channel[];
  /** Per channel: share / (its expected slot weight over a full open day), so a typical open day
   * yields `share x base` enquiries whatever the shape. */
  channelScale: readonly number[];
}

const models = new WeakMap<PracticeProfile, PracticeModel>();

function modelOf(profile: PracticeProfile): PracticeModel {
  let model = models.get(profile);
  if (!model) {
    model = buildModel(profile);
    models.set(profile, model);
  }
  return model;
}

function buildModel(profile: PracticeProfile): PracticeModel {
  if (profile.staff.length === 0) throw new RangeError('a simulated practice needs at least one staff member');
  const calendar = new PracticeCalendar(profile);
  const channels = Object.keys(profile.channels) as Channel[];
  const totalShare = channels.reduce((sum, channel) => sum + profile.channels[channel].share, 0);
  // Reference: the longest-open weekday, hour by hour on the wall clock.
  const openMinutes = (day: keyof PracticeProfile['openingHours']) =>
    (profile.openingHours[day] ?? []).reduce((sum, [open, close]) => sum + minutesOf(close) - minutesOf(open), 0);
  const reference = (Object.keys(profile.openingHours) as Array<keyof PracticeProfile['openingHours']>).sort((a, b) => openMinutes(b) - openMinutes(a))[0];
  const referenceHours = reference ? (profile.openingHours[reference] ?? []) : [];
  const channelScale = channels.map((channel) => {
    const { share, hours, whenClosed } = profile.channels[channel];
    const shape = profile.hourShapes[hours];
    let weight = 0;
    for (let minute = 0; minute < 24 * 60; minute += SLOT / MINUTE) {
      const open = referenceHours.some(([from, until]) => minute >= minutesOf(from) && minute < minutesOf(until));
      weight += ((shape[Math.floor(minute / 60)] ?? 0) / SLOTS_PER_HOUR) * (open ? 1 : whenClosed);
    }
    return weight > 0 ? share / totalShare / weight : 0;
  });
  return { profile, calendar, channels, channelScale };
}

/** Monthly factors read at mid-month, joined by a periodic Catmull-Rom spline: smooth, and equal
 * to the given factor in the middle of each month. */
function seasonality(monthly: readonly number[], day: string): number {
  const year = Number(day.slice(0, 4));
  const dayOfYear = daysBetween(`${year}-01-01`, day);
  const yearLength = daysBetween(`${year}-01-01`, `${year + 1}-01-01`);
  const position = ((dayOfYear + 0.5) / yearLength) * 12 - 0.5;
  const index = Math.floor(position);
  const t = position - index;
  const at = (i: number) => monthly[(((index + i) % 12) + 12) % 12] ?? 1;
  const [p0, p1, p2, p3] = [at(-1), at(0), at(1), at(2)];
  return 0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2 + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3);
}

/** A call's fate at the desk. */
interface CallOutcome {
  status: 'answered' | 'missed' | 'voicemail' | 'abandoned';
  startedAt: number;
  /** Ringing time until someone (or voicemail) picked up, or the caller hung up. */
  waited: number;
  answeredAt?: number;
  endedAt: number;
  staff?: number;
}

/** A lead being played out. */
interface LeadStory {
  ref: string;
  input: LeadRequest;
  arrivedAt: number;
  channel: Channel;
  isNewPatient: boolean;
  treatment: TreatmentProfile;
  events: number;
}

/** An arriving enquiry, or a call that is not one. */
interface Arrival {
  at: number;
  channel: Channel | 'other_call';
}

/** One day's simulation: its own random stream, the desk's state and the actions emitted. */
class DaySimulation {
  private readonly rng: Random;
  private readonly profile: PracticeProfile;
  private readonly calendar: PracticeCalendar;
  private readonly today: CalendarDay;
  private readonly actions: SimulatedAction[] = [];
  /** When each staff member is off the phone again. */
  private readonly busyUntil: number[];
  private readonly staffIds: readonly string[];
  private leadCount = 0;
  private callCount = 0;

  constructor(
    private readonly model: PracticeModel,
    private readonly day: string,
    options: SimulationOptions,
  ) {
    this.rng = new Random(hashSeed(options.seed, day));
    this.profile = model.profile;
    this.calendar = model.calendar;
    this.today = this.calendar.day(day);
    this.busyUntil = this.profile.staff.map(() => 0);
    this.staffIds = this.profile.staff.map((member) => options.staffIds?.[member.name] ?? simulatedStaffId(member.name));
  }

  run(): SimulatedAction[] {
    for (const arrival of this.arrivals()) {
      if (arrival.channel === 'other_call') this.otherCall(arrival.at);
      else if (arrival.channel === 'phone') this.phoneLead(arrival.at);
      else if (arrival.channel === 'walk_in') this.walkIn(arrival.at);
      else this.remoteLead(arrival.at, arrival.channel);
    }
    return this.actions.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** The day's expected volume before the channel split. */
  private dayRate(): number {
    const { leads } = this.profile;
    const years = daysBetween(leads.trendFrom, this.day) / 365.25;
    return (
      leads.basePerOpenDay *
      leads.weekday[this.today.weekday] *
      seasonality(leads.monthly, this.day) *
      (1 + leads.trendPerYear) ** years *
      (this.today.holiday === undefined ? 1 : leads.holidayFactor)
    );
  }

  /** Poisson arrivals, slot by slot in real (not wall-clock) time, so DST days have 23 or 25 hours. */
  private arrivals(): Arrival[] {
    const { channels, channelScale } = this.model;
    const phone = channels.indexOf('phone');
    const otherCalls = this.profile.phone.otherCallsPerPhoneLead;
    const rate = this.dayRate();
    const rates = new Float64Array(channels.length + 1);
    const kinds = [...rates.keys()];
    const arrivals: Arrival[] = [];
    for (let slot = this.today.start; slot < this.today.end; slot += SLOT) {
      const hour = Math.floor(this.calendar.localMinutes(slot) / 60);
      const open = this.today.open.some((interval) => slot >= interval.start && slot < interval.end);
      let total = 0;
      channels.forEach((channel, i) => {
        const { hours, whenClosed } = this.profile.channels[channel];
        const shape = (this.profile.hourShapes[hours][hour] ?? 0) / SLOTS_PER_HOUR;
        rates[i] = rate * (channelScale[i] ?? 0) * shape * (open ? 1 : whenClosed);
        total += rates[i] ?? 0;
      });
      rates[channels.length] = phone < 0 ? 0 : (rates[phone] ?? 0) * otherCalls;
      total += rates[channels.length] ?? 0;
      const count = this.rng.poisson(total);
      const slotEnd = Math.min(slot + SLOT, this.today.end);
      for (let n = 0; n < count; n++) {
        const at = Math.floor(this.rng.uniform(slot, slotEnd));
        const index = this.rng.weightedBy(kinds, (i) => rates[i] ?? 0);
        arrivals.push({ at, channel: channels[index] ?? 'other_call' });
      }
    }
    return arrivals.sort((a, b) => a.at - b.at);
  }

  // --- the phone line ---------------------------------------------------------------------------

  /** Who picks up, if anyone: staff on shift and off the phone each may, after a short ring. */
  private ring(startedAt: number, talkMedianSeconds: number): CallOutcome {
    const { phone, staff } = this.profile;
    const rng = this.rng;
    if (!this.calendar.isOpen(startedAt)) {
      // The closed greeting goes straight to voicemail after a few rings.
      const wait = rng.uniform(8, 15) * SECOND;
      return this.unanswered(startedAt, wait, rng.chance(phone.leaveMessageShare) ? 'voicemail' : 'missed');
    }
    const patience = (4 + rng.exponential(1 / phone.meanPatienceSeconds)) * SECOND;
    let pickup = Infinity;
    let who: number | undefined;
    for (const index of this.calendar.staffOnShift(startedAt)) {
      const member = staff[index];
      if (!member || (this.busyUntil[index] ?? 0) > startedAt || !rng.chance(member.phonePickup)) continue;
      const delay = rng.lognormal(phone.pickupMedianSeconds / member.responseSpeed, 0.5) * SECOND;
      if (delay < pickup) [pickup, who] = [delay, index];
    }
    const ring = phone.ringSeconds * SECOND;
    if (who !== undefined && pickup <= Math.min(patience, ring)) {
      const answeredAt = startedAt + Math.round(pickup);
      const endedAt = answeredAt + Math.round(rng.lognormal(talkMedianSeconds, 0.6) * SECOND);
      this.busyUntil[who] = endedAt + phone.wrapUpSeconds * SECOND;
      return { status: 'answered', startedAt, waited: answeredAt - startedAt, answeredAt, endedAt, staff: who };
    }
    if (patience < ring) return this.unanswered(startedAt, patience, 'abandoned');
    return this.unanswered(startedAt, ring, rng.chance(phone.leaveMessageShare) ? 'voicemail' : 'missed');
  }

  private unanswered(startedAt: number, wait: number, status: 'missed' | 'voicemail' | 'abandoned'): CallOutcome {
    const message = status === 'voicemail' ? this.rng.uniform(15, 60) * SECOND : 0;
    return { status, startedAt, waited: Math.round(wait), endedAt: startedAt + Math.round(wait + message) };
  }

  /** The phone system's messages for a call: sometimes "ringing" first, always the outcome. */
  private emitCall(call: CallOutcome, from: string, isNewPatient: boolean | undefined, lead?: LeadStory): void {
    const externalId = `sim-call-${this.day}-${++this.callCount}`;
    const link = lead ? { leadRef: lead.ref, lead: lead.input } : {};
    if (this.rng.chance(this.profile.phone.ringingMessageShare)) {
      this.emit(call.startedAt, {
        kind: 'call',
        input: { externalId, direction: 'inbound', status: 'ringing', startedAt: iso(call.startedAt), isNewPatient, from },
      });
    }
    const staffId = call.staff === undefined ? undefined : this.staffIds[call.staff];
    this.emit(call.endedAt, {
      kind: 'call',
      ...link,
      input: {
        externalId,
        direction: 'inbound',
        status: call.status,
        startedAt: iso(call.startedAt),
        ...(call.answeredAt === undefined ? {} : { answeredAt: iso(call.answeredAt) }),
        endedAt: iso(call.endedAt),
        waitSeconds: Math.round(call.waited / SECOND),
        ...(call.answeredAt === undefined ? {} : { talkSeconds: Math.round((call.endedAt - call.answeredAt) / SECOND) }),
        ...(staffId === undefined ? {} : { staffId }),
        isNewPatient,
        from,
      },
    });
  }

  /** Existing patients rescheduling, labs, suppliers: they only load the phones. */
  private otherCall(at: number): void {
    const call = this.ring(at, this.profile.phone.otherTalkMedianSeconds);
    this.emitCall(call, fakePhone(this.rng), this.rng.chance(0.8) ? false : undefined);
  }

  /** A phone enquiry: answered live it is worked on the call; otherwise it may be called back. */
  private phoneLead(at: number): void {
    const call = this.ring(at, this.profile.phone.leadTalkMedianSeconds);
    const patient = fakePatient(this.rng, 'phone');
    const from = patient.phone ?? fakePhone(this.rng);
    const isNewPatient = !this.rng.chance(this.profile.leads.existingPatientShare);
    const becomesLead = call.status === 'answered' || call.status === 'voicemail' || this.rng.chance(this.profile.phone.unansweredBecomesLeadShare);
    if (!becomesLead) {
      this.emitCall(call, from, isNewPatient);
      return;
    }
    // The phone system reports ringing before anyone knows this is a lead.
    const story = this.createLead(at, 'phone', isNewPatient, { ...patient, phone: from }, call.staff);
    this.emitCall(call, from, isNewPatient, story);
    if (call.status === 'answered' && call.staff !== undefined && call.answeredAt !== undefined) {
      this.respond(story, call.answeredAt, call.staff, 'call');
      this.decide(story, call.staff, { respondedAt: call.answeredAt, decidedAt: call.endedAt, extraAttempts: 0, live: true });
      return;
    }
    const callback = this.firstResponse(call.endedAt, this.profile.phone.callbackMedianMinutes);
    if (callback) this.work(story, callback.at, callback.staff, 'call');
  }

  // --- leads that wait for the practice ---------------------------------------------------------

  /** Someone at the desk: served in person within minutes. */
  private walkIn(at: number): void {
    const staff = this.responder(at);
    const story = this.createLead(at, 'walk_in', !this.rng.chance(this.profile.leads.existingPatientShare), fakePatient(this.rng, 'walk_in'), staff);
    const respondedAt = at + Math.round(this.rng.uniform(1, 4) * MINUTE);
    this.respond(story, respondedAt, staff, 'in_person');
    this.decide(story, staff, { respondedAt, extraAttempts: 0, live: false });
  }

  /** Web form, chat, social, referral, email: a first response after a delay, then working it. */
  private remoteLead(at: number, channel: Channel): void {
    const isNewPatient = !this.rng.chance(this.profile.leads.existingPatientShare);
    const story = this.createLead(at, channel, isNewPatient, fakePatient(this.rng, channel));
    if (this.rng.chance(this.profile.followUp.neverRespondedShare)) return;
    const response = this.firstResponse(at, this.profile.channels[channel].responseMedianMinutes);
    if (!response) return;
    this.work(story, response.at, response.staff, this.rng.weighted(this.profile.channels[channel].responseVia));
  }

  /** When and by whom a lead arriving at `at` is first answered: minutes later if the practice is
   * open (slower for slow responders), else after the next opening's backlog. */
  private firstResponse(at: number, medianMinutes: number): { at: number; staff: number } | undefined {
    if (this.calendar.isOpen(at)) {
      const staff = this.responder(at);
      const speed = this.profile.staff[staff]?.responseSpeed ?? 1;
      const candidate = at + Math.round(this.rng.lognormal(medianMinutes / speed, 1) * MINUTE);
      if (this.calendar.isOpen(candidate)) return { at: candidate, staff };
      return this.worked(candidate);
    }
    return this.worked(at);
  }

  /** When the desk gets to something due at `at`: then, if open; else at the next opening plus a
   * backlog delay (kept inside that opening). */
  private worked(at: number): { at: number; staff: number } | undefined {
    const opening = this.calendar.nextOpening(at);
    if (opening === undefined) return undefined;
    const staff = this.responder(opening);
    if (opening === at) return { at, staff };
    const speed = this.profile.staff[staff]?.responseSpeed ?? 1;
    const interval = this.calendar.openingAt(opening);
    const backlog = Math.round(this.rng.lognormal(this.profile.followUp.morningBacklogMedianMinutes / speed, 0.7) * MINUTE);
    const latest = interval ? interval.end - MINUTE : opening;
    return { at: Math.max(opening, Math.min(opening + backlog, latest)), staff };
  }

  /** Someone on shift at `at` (anyone, if the rota leaves a gap). */
  private responder(at: number): number {
    const onShift = this.calendar.staffOnShift(at);
    return onShift.length > 0 ? this.rng.pick(onShift) : this.rng.int(0, this.profile.staff.length);
  }

  /** First response, then contact attempts until the lead is reached or given up on. */
  private work(story: LeadStory, respondedAt: number, staff: number, via: ResponseVia): void {
    const { followUp } = this.profile;
    this.respond(story, respondedAt, staff, via);
    const speedFactor = speedToLeadFactor(this.profile.booking.speed, (respondedAt - story.arrivedAt) / MINUTE);
    // A late answer also finds fewer people still listening.
    if (this.rng.chance((followUp.reachOnFirstResponse[via] ?? 0.5) * (0.6 + 0.4 * speedFactor))) {
      this.decide(story, staff, { respondedAt, extraAttempts: 0, live: false });
      return;
    }
    let last = respondedAt;
    const giveUpBy = story.arrivedAt + 10 * DAY;
    for (let attempt = 0; attempt < followUp.maxAttempts; attempt++) {
      const gapHours = followUp.attemptGapHours[attempt] ?? followUp.attemptGapHours.at(-1) ?? 24;
      const next = this.worked(last + Math.round(this.rng.lognormal(gapHours, 0.4) * HOUR));
      if (!next || next.at > giveUpBy) break;
      const kind: ContactKind = via === 'chat' || via === 'email' ? this.rng.pick(['call', via]) : this.rng.pick(['call', 'call', 'text']);
      if (this.rng.chance(followUp.reachPerAttempt)) {
        this.event(story, next.at, { type: 'contact_attempt', kind, outcome: 'reached', staffId: this.staffIds[next.staff] });
        this.decide(story, next.staff, { respondedAt, reachedAt: next.at, extraAttempts: attempt + 1, live: false });
        return;
      }
      const outcome = kind === 'call' ? this.rng.pick(['no_answer', 'left_message'] as const) : 'sent';
      this.event(story, next.at, { type: 'contact_attempt', kind, outcome, staffId: this.staffIds[next.staff] });
      last = next.at;
    }
    const closing = this.worked(last + Math.round(this.rng.uniform(1, 3) * DAY));
    if (closing) this.notBooked(story, closing.at, closing.staff, 'no_response');
  }

  /** Booked or not, once the lead is reached. */
  private decide(
    story: LeadStory,
    staff: number,
    when: { respondedAt: number; reachedAt?: number; decidedAt?: number; extraAttempts: number; live: boolean },
  ): void {
    const { booking } = this.profile;
    const reachedAt = when.reachedAt ?? when.respondedAt;
    const probability =
      (story.isNewPatient ? booking.newPatientRate : booking.existingPatientRate) *
      this.profile.channels[story.channel].bookingFactor *
      story.treatment.bookingFactor *
      (this.profile.staff[staff]?.bookingSkill ?? 1) *
      speedToLeadFactor(booking.speed, (when.respondedAt - story.arrivedAt) / MINUTE) *
      (when.live ? booking.answeredLiveFactor : 1) *
      booking.perExtraAttemptFactor ** when.extraAttempts;
    const decidedAt = when.decidedAt ?? reachedAt + Math.round(this.rng.lognormal(6, 0.5) * MINUTE);
    if (this.rng.chance(Math.min(0.97, probability))) {
      const [min, max] = story.treatment.value;
      this.event(story, decidedAt, {
        type: 'booked',
        appointmentAt: iso(this.appointment(decidedAt, story.treatment)),
        value: Math.round(this.rng.uniform(min, max) / 10) * 10,
        staffId: this.staffIds[staff],
      });
      return;
    }
    const reason = this.rng.weighted(this.profile.notBookedReasons);
    // Ghosting, and half the other refusals, come days after the conversation.
    if (reason === 'no_response' || !this.rng.chance(this.profile.booking.decidedOnCallShare)) {
      const later = this.worked(decidedAt + Math.round(this.rng.uniform(1, 4) * DAY));
      if (later) this.notBooked(story, later.at, later.staff, reason);
      return;
    }
    this.notBooked(story, decidedAt, staff, reason);
  }

  private notBooked(story: LeadStory, at: number, staff: number, reason: NotBookedReason): void {
    const note = this.rng.chance(0.3) ? NOTES[reason] : undefined;
    this.event(story, at, { type: 'not_booked', reason, staffId: this.staffIds[staff], ...(note ? { note } : {}) });
  }

  /** An appointment slot some days out (by treatment), on the quarter hour, inside opening hours. */
  private appointment(bookedAt: number, treatment: TreatmentProfile): number {
    const [minDays, maxDays] = treatment.appointmentWithinDays;
    const days = this.rng.int(minDays, maxDays + 1);
    const earliest = Math.max(bookedAt + HOUR, this.calendar.day(addDays(this.calendar.dayOf(bookedAt), days)).start);
    const opening = this.calendar.nextOpening(earliest);
    const interval = opening === undefined ? undefined : this.calendar.openingAt(opening);
    if (opening === undefined || !interval) return earliest + DAY; // a practice that never opens
    const latest = Math.max(opening, interval.end - 30 * MINUTE);
    return Math.min(latest, opening + Math.floor(this.rng.uniform(0, latest - opening + 1) / SLOT) * SLOT);
  }

  // --- emitting ---------------------------------------------------------------------------------

  private createLead(at: number, channel: Channel, isNewPatient: boolean, patient: LeadRequest['patient'], assignedStaff?: number): LeadStory {
    const treatment = this.rng.weightedBy(this.profile.treatments, (item) => item.weight);
    const candidates = this.profile.sources.filter((item) => item.channels.includes(channel));
    const source = candidates.length > 0 ? this.rng.weightedBy(candidates, (item) => item.weight) : undefined;
    const campaign = source && source.campaigns.length > 0 ? this.rng.weightedBy(source.campaigns, (item) => item.weight) : undefined;
    const ref = `sim-${this.day}-${++this.leadCount}`;
    const assignedStaffId = assignedStaff === undefined ? undefined : this.staffIds[assignedStaff];
    const input: LeadRequest = {
      externalId: ref,
      channel,
      ...(source ? { source: source.name } : {}),
      ...(campaign ? { campaign: campaign.name } : {}),
      treatment: treatment.name,
      isNewPatient,
      createdAt: iso(at),
      ...(assignedStaffId ? { assignedStaffId } : {}),
      estimatedValue: (treatment.value[0] + treatment.value[1]) / 2,
      patient,
    };
    this.emit(at, { kind: 'lead', ref, input });
    return { ref, input, arrivedAt: at, channel, isNewPatient, treatment, events: 0 };
  }

  private respond(story: LeadStory, at: number, staff: number, via: ResponseVia): void {
    this.event(story, at, { type: 'responded', staffId: this.staffIds[staff], via });
  }

  /** Emits a lead event; one beyond the lead's lifetime is dropped, which keeps `simulateDays`'s
   * look-back exact (it only happens after long closures). */
  private event(story: LeadStory, at: number, event: DistributiveOmit<LeadEventRequest, 'at' | 'eventId'>): void {
    if (at - story.arrivedAt >= MAX_LEAD_LIFETIME_DAYS * DAY) return;
    const input = { ...event, eventId: `${story.ref}:${++story.events}`, at: iso(at) } as LeadEventRequest;
    this.emit(at, { kind: 'lead_event', ref: story.ref, lead: story.input, input });
  }

  private emit(at: number, action: DistributiveOmit<SimulatedAction, 'at'>): void {
    this.actions.push({ ...action, at: new Date(at) });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Private free-text notes (never shown on a board); distinctive so privacy tests can look for them. */
const NOTES: Readonly<Record<NotBookedReason, string>> = {
  price: 'Quoted fee felt high; comparing with another office (sim note)',
  scheduling: 'Wanted a Saturday slot we could not offer (sim note)',
  insurance_out_of_network: 'Plan is out of network; will check benefits (sim note)',
  treatment_not_offered: 'Asked for sedation we do not provide (sim note)',
  no_response: 'No reply after several tries (sim note)',
  other: 'Moving out of state (sim note)',
};

function iso(at: number): string {
  return new Date(at).toISOString();
}
