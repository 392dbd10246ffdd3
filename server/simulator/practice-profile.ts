// What a simulated practice looks like: demand, mix, people and habits. Plain data, so a test or a
// demo can vary one number (`{ ...demoPracticeProfile(), leads: { ...base.leads, basePerOpenDay: 40 } }`)
// and keep the rest realistic. The simulator (practice-simulator.ts) turns it into events.

import {
  CHANNELS,
  DEFAULT_OPENING_HOURS,
  type Channel,
  type NotBookedReason,
  type OpeningHours,
  type ResponseVia,
  type StaffRole,
  type Weekday,
} from '../domain/domain.contract.js';

/** 24 relative weights, one per local hour (0 = midnight). Only their ratios matter. */
export type HourShape = readonly number[];

/** How one channel's enquiries arrive and get answered. */
export interface ChannelProfile {
  /** Share of all enquiries on a normal open day (the shares of all channels need not sum to 1;
   * they are used as relative weights). */
  share: number;
  /** Which hour-of-day shape its arrivals follow: office hours or "whenever people are online". */
  hours: 'office' | 'online';
  /** Arrival rate while the practice is closed, relative to the same hour when open: phones rarely
   * ring for a closed office, web forms do not care. */
  whenClosed: number;
  /** Median minutes to a first response while open, for a staff member of response speed 1.
   * Ignored for phone (answered live or called back) and walk-ins (served in person). */
  responseMedianMinutes: number;
  /** How first responses reach the lead, by weight. */
  responseVia: Readonly<Partial<Record<ResponseVia, number>>>;
  /** Booking propensity of the channel, relative to 1. */
  bookingFactor: number;
}

/** A marketing campaign within a source. */
export interface CampaignProfile {
  name: string;
  weight: number;
  monthlySpend: number;
}

/** A marketing source: where a lead says it heard of the practice. */
export interface SourceProfile {
  name: string;
  /** The channel its leads usually arrive on (also what the practice records as its default). */
  defaultChannel: Channel;
  /** Channels its leads can arrive on; an arriving lead's source is drawn among the sources that
   * list its channel, by `weight`. */
  channels: readonly Channel[];
  weight: number;
  /** Campaigns drawn by weight; when empty, leads carry no campaign. */
  campaigns: readonly CampaignProfile[];
  /** Spend on the source itself, on top of its campaigns' spend (for ROI). */
  monthlySpend: number;
}

/** A treatment a lead may ask about, with what it is worth when booked. */
export interface TreatmentProfile {
  name: string;
  weight: number;
  /** Value range of a booking in the practice's currency; bookings draw uniformly inside it. */
  value: readonly [min: number, max: number];
  bookingFactor: number;
  /** Days from booking to appointment: emergencies come in at once, aligners can wait. */
  appointmentWithinDays: readonly [min: number, max: number];
}

/** A member of staff who answers phones and works leads. */
export interface StaffProfile {
  /** Display name: what the TV shows. */
  name: string;
  role: StaffRole;
  /** > 1 answers faster (divides response delays). */
  responseSpeed: number;
  /** Multiplies the booking probability of the leads this person reaches. */
  bookingSkill: number;
  /** Chance this person, on shift and not on a call, picks up a ringing phone (the rest of the time
   * they are with a patient at the desk). */
  phonePickup: number;
  /** Practice-local working hours, same shape as opening hours. */
  shifts: OpeningHours;
}

/** The inbound phone line. */
export interface PhoneProfile {
  /** Calls that are not lead enquiries (patients rescheduling, labs, vendors), per phone lead. */
  otherCallsPerPhoneLead: number;
  /** Seconds a call rings before the phone system sends it to voicemail. */
  ringSeconds: number;
  /** Mean seconds a caller waits before hanging up (exponential, on top of a few seconds' minimum). */
  meanPatienceSeconds: number;
  /** Median seconds from ringing to a free staff member picking up (speed 1). */
  pickupMedianSeconds: number;
  /** Median talk seconds of a new-patient call and of any other call. */
  leadTalkMedianSeconds: number;
  otherTalkMedianSeconds: number;
  /** Seconds after hanging up before the person takes the next call. */
  wrapUpSeconds: number;
  /** Share of callers who reach voicemail and leave a message (the rest count as missed). */
  leaveMessageShare: number;
  /** Share of unanswered callers without a message whose number still becomes a lead to call back. */
  unansweredBecomesLeadShare: number;
  /** Median minutes to call back a voicemail or missed caller while open (speed 1). */
  callbackMedianMinutes: number;
  /** Share of calls whose phone system first reports "ringing" before the outcome. */
  ringingMessageShare: number;
}

/** How working a lead goes after the first response. */
export interface FollowUpProfile {
  /** Share of non-live leads that never get any response (they stay waiting). */
  neverRespondedShare: number;
  /** Chance the first response actually reaches the person, by how it was sent. */
  reachOnFirstResponse: Readonly<Partial<Record<ResponseVia, number>>>;
  /** Chance each later attempt reaches them, and how many attempts before giving up. */
  reachPerAttempt: number;
  maxAttempts: number;
  /** Median hours between attempts (1st, 2nd, 3rd ... follow-up). */
  attemptGapHours: readonly number[];
  /** Minutes into the day before the overnight backlog is worked (median, speed 1). */
  morningBacklogMedianMinutes: number;
}

/** Booking probability = base x channel x treatment x staff skill x speed-to-lead factor. */
export interface BookingProfile {
  newPatientRate: number;
  existingPatientRate: number;
  /** Extra factor for a phone call answered live: the best conversion there is. */
  answeredLiveFactor: number;
  /** Factor per extra attempt needed to reach the person. */
  perExtraAttemptFactor: number;
  /** Speed-to-lead: the factor is 1 up to `fullMinutes`, then falls linearly in log(time) to `floor`
   * at `floorMinutes` and stays there (the brief: answering within a minute books far more). */
  speed: { fullMinutes: number; floorMinutes: number; floor: number };
  /** Share of not-booked decisions made on the first conversation (the rest come days later). */
  decidedOnCallShare: number;
}

/** A simulated practice. All times are practice-local. */
export interface PracticeProfile {
  name: string;
  /** IANA time zone. */
  timeZone: string;
  currency: string;
  openingHours: OpeningHours;
  /** Public holidays (date-holidays country and state codes). `closedOn` lists the holidays the
   * practice closes for, named as date-holidays names them in the country's default language (a
   * substitute day counts with its holiday; an unknown name is refused); omitted = every public holiday. */
  holidays: { country: string; state?: string; closedOn?: readonly string[] };
  leads: {
    /** Expected enquiries on an average open weekday, before weekday, season and trend. */
    basePerOpenDay: number;
    weekday: Readonly<Record<Weekday, number>>;
    /** Demand factor per month, Jan..Dec, read at mid-month and interpolated smoothly between. */
    monthly: readonly number[];
    /** Yearly growth, e.g. 0.08 for +8 %/year, compounding from `trendFrom` (factor 1 there). */
    trendPerYear: number;
    trendFrom: string;
    /** Demand on a public holiday relative to the same weekday (people are busy elsewhere). */
    holidayFactor: number;
    /** Share of enquiries from existing patients (tracked, but apart from new patients). */
    existingPatientShare: number;
  };
  channels: Readonly<Record<Channel, ChannelProfile>>;
  hourShapes: Readonly<Record<ChannelProfile['hours'], HourShape>>;
  sources: readonly SourceProfile[];
  treatments: readonly TreatmentProfile[];
  staff: readonly StaffProfile[];
  notBookedReasons: Readonly<Record<NotBookedReason, number>>;
  phone: PhoneProfile;
  followUp: FollowUpProfile;
  booking: BookingProfile;
}

/**
 * A busy multi-chair dental and orthodontic practice in Chicago: on a weekday 35-60 inbound calls (new
 * patients and the practice's own patients) and 15-30 web-form and chat leads, ~40 enquiries in all,
 * fewer on Saturday; five people at the desk, Google Ads and physician referrals. The demo practice
 * and the default of the tests.
 */
export function demoPracticeProfile(): PracticeProfile {
  return {
    name: 'Lakeside Dental & Orthodontics',
    timeZone: 'America/Chicago',
    currency: 'USD',
    openingHours: DEFAULT_OPENING_HOURS,
    // Every US public holiday, as the server's practice calendar reads the stored holiday_region 'US':
    // the simulated desk is closed exactly when the server flags calls after hours.
    holidays: { country: 'US' },
    leads: {
      basePerOpenDay: 40,
      weekday: { mon: 1.25, tue: 1.1, wed: 1.0, thu: 0.95, fri: 0.85, sat: 0.6, sun: 0.45 },
      // New-year resolutions and back-to-school are the peaks; December and high summer the troughs.
      monthly: [1.25, 1.1, 1.05, 1.0, 0.95, 0.85, 0.8, 0.9, 1.2, 1.1, 1.0, 0.75],
      trendPerYear: 0.08,
      trendFrom: '2026-01-01',
      holidayFactor: 0.6,
      existingPatientShare: 0.25,
    },
    channels: {
      phone: {
        share: 0.4,
        hours: 'office',
        whenClosed: 0.12,
        responseMedianMinutes: 0,
        responseVia: { call: 1 },
        bookingFactor: 1,
      },
      web_form: {
        share: 0.3,
        hours: 'online',
        whenClosed: 0.9,
        responseMedianMinutes: 6,
        responseVia: { call: 6, text: 3, email: 1 },
        bookingFactor: 0.95,
      },
      chat: {
        share: 0.12,
        hours: 'online',
        whenClosed: 0.7,
        responseMedianMinutes: 1.5,
        responseVia: { chat: 1 },
        bookingFactor: 0.9,
      },
      social: {
        share: 0.05,
        hours: 'online',
        whenClosed: 1,
        responseMedianMinutes: 15,
        responseVia: { chat: 2, text: 1 },
        bookingFactor: 0.75,
      },
      referral: {
        share: 0.05,
        hours: 'office',
        whenClosed: 0.05,
        responseMedianMinutes: 30,
        responseVia: { call: 1 },
        bookingFactor: 1.25,
      },
      walk_in: {
        share: 0.03,
        hours: 'office',
        whenClosed: 0,
        responseMedianMinutes: 0,
        responseVia: { in_person: 1 },
        bookingFactor: 1.2,
      },
      email: {
        share: 0.03,
        hours: 'online',
        whenClosed: 1,
        responseMedianMinutes: 25,
        responseVia: { email: 2, call: 1 },
        bookingFactor: 0.9,
      },
      other: {
        share: 0.02,
        hours: 'online',
        whenClosed: 0.8,
        responseMedianMinutes: 20,
        responseVia: { call: 1, email: 1 },
        bookingFactor: 0.85,
      },
    },
    hourShapes: {
      // Calls cluster mid-morning and early afternoon; a dip at lunch.
      office: [0, 0, 0, 0, 0, 0, 0.05, 0.3, 1.0, 1.35, 1.3, 1.15, 0.9, 1.05, 1.2, 1.1, 0.95, 0.7, 0.45, 0.25, 0.12, 0.05, 0.02, 0],
      // People fill in forms from their desk and again in the evening, from the sofa.
      online: [0.25, 0.12, 0.06, 0.04, 0.04, 0.08, 0.25, 0.55, 0.85, 1.0, 1.0, 0.95, 1.0, 0.95, 0.9, 0.9, 0.95, 1.0, 1.1, 1.25, 1.35, 1.2, 0.85, 0.5],
    },
    sources: [
      {
        name: 'Google Ads',
        defaultChannel: 'web_form',
        channels: ['phone', 'web_form', 'chat', 'other'],
        weight: 30,
        campaigns: [
          { name: 'Invisalign Search', weight: 55, monthlySpend: 1800 },
          { name: 'Emergency Dentist Near Me', weight: 45, monthlySpend: 1200 },
        ],
        monthlySpend: 0,
      },
      {
        name: 'Facebook / Instagram',
        defaultChannel: 'social',
        channels: ['social', 'web_form', 'chat', 'phone'],
        weight: 14,
        campaigns: [],
        monthlySpend: 1400,
      },
      {
        name: 'Organic web',
        defaultChannel: 'web_form',
        channels: ['web_form', 'chat', 'phone', 'email', 'other'],
        weight: 22,
        campaigns: [],
        monthlySpend: 600,
      },
      {
        name: 'Referral: Dr Patel',
        defaultChannel: 'referral',
        channels: ['referral', 'phone', 'email'],
        weight: 7,
        campaigns: [],
        monthlySpend: 0,
      },
      {
        name: 'Referral: Dr Nguyen',
        defaultChannel: 'referral',
        channels: ['referral', 'phone', 'email'],
        weight: 5,
        campaigns: [],
        monthlySpend: 0,
      },
      {
        name: 'Yelp',
        defaultChannel: 'phone',
        channels: ['phone', 'web_form', 'email', 'other'],
        weight: 8,
        campaigns: [],
        monthlySpend: 350,
      },
      {
        name: 'Existing patient referral',
        defaultChannel: 'phone',
        channels: ['phone', 'walk_in', 'referral', 'email'],
        weight: 12,
        campaigns: [],
        monthlySpend: 150,
      },
      {
        name: 'Walk-by',
        defaultChannel: 'walk_in',
        channels: ['walk_in', 'phone'],
        weight: 4,
        campaigns: [],
        monthlySpend: 0,
      },
    ],
    treatments: [
      { name: 'Cleaning & exam', weight: 34, value: [200, 420], bookingFactor: 1.15, appointmentWithinDays: [2, 21] },
      { name: 'Emergency visit', weight: 16, value: [250, 650], bookingFactor: 1.3, appointmentWithinDays: [0, 2] },
      { name: 'Invisalign', weight: 16, value: [4200, 6200], bookingFactor: 0.85, appointmentWithinDays: [5, 28] },
      { name: 'Dental implants', weight: 10, value: [3000, 5200], bookingFactor: 0.75, appointmentWithinDays: [5, 28] },
      { name: 'Whitening', weight: 14, value: [350, 700], bookingFactor: 0.9, appointmentWithinDays: [3, 21] },
      { name: 'Braces', weight: 10, value: [4800, 7200], bookingFactor: 0.85, appointmentWithinDays: [5, 28] },
    ],
    staff: [
      {
        name: 'Maya',
        role: 'front_desk',
        responseSpeed: 1.5,
        bookingSkill: 1.1,
        phonePickup: 0.7,
        shifts: {
          mon: [
            ['08:00', '12:00'],
            ['12:30', '16:30'],
          ],
          tue: [
            ['08:00', '12:00'],
            ['12:30', '16:30'],
          ],
          wed: [
            ['08:00', '12:00'],
            ['12:30', '16:30'],
          ],
          thu: [
            ['08:00', '12:00'],
            ['12:30', '16:30'],
          ],
          fri: [
            ['08:00', '12:00'],
            ['12:30', '17:00'],
          ],
        },
      },
      {
        name: 'Jordan',
        role: 'front_desk',
        responseSpeed: 1.0,
        bookingSkill: 0.9,
        phonePickup: 0.7,
        shifts: {
          mon: [
            ['09:30', '13:30'],
            ['14:00', '18:00'],
          ],
          tue: [
            ['09:30', '13:30'],
            ['14:00', '18:00'],
          ],
          wed: [
            ['09:30', '13:30'],
            ['14:00', '18:00'],
          ],
          thu: [
            ['09:30', '13:30'],
            ['14:00', '18:00'],
          ],
          sat: [['09:00', '13:00']],
        },
      },
      {
        name: 'Sam',
        role: 'treatment_coordinator',
        responseSpeed: 0.8,
        bookingSkill: 1.25,
        phonePickup: 0.45,
        shifts: { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], wed: [['08:00', '17:00']], thu: [['08:00', '17:00']], fri: [['08:00', '17:00']] },
      },
      {
        name: 'Priya',
        role: 'treatment_coordinator',
        responseSpeed: 1.2,
        bookingSkill: 1.05,
        phonePickup: 0.5,
        shifts: { tue: [['10:00', '18:00']], wed: [['10:00', '18:00']], thu: [['10:00', '18:00']], fri: [['09:00', '17:00']], sat: [['09:00', '13:00']] },
      },
      {
        name: 'Alex',
        role: 'manager',
        responseSpeed: 0.6,
        bookingSkill: 0.85,
        phonePickup: 0.2,
        shifts: { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '15:00']] },
      },
    ],
    notBookedReasons: {
      price: 30,
      scheduling: 22,
      insurance_out_of_network: 18,
      treatment_not_offered: 6,
      no_response: 14,
      other: 10,
    },
    phone: {
      otherCallsPerPhoneLead: 1.4,
      ringSeconds: 30,
      meanPatienceSeconds: 45,
      pickupMedianSeconds: 9,
      leadTalkMedianSeconds: 300,
      otherTalkMedianSeconds: 150,
      wrapUpSeconds: 60,
      leaveMessageShare: 0.45,
      unansweredBecomesLeadShare: 0.6,
      callbackMedianMinutes: 15,
      ringingMessageShare: 0.5,
    },
    followUp: {
      neverRespondedShare: 0.02,
      reachOnFirstResponse: { call: 0.6, text: 0.65, email: 0.5, chat: 0.85, in_person: 1 },
      reachPerAttempt: 0.45,
      maxAttempts: 3,
      attemptGapHours: [3, 24, 48],
      morningBacklogMedianMinutes: 30,
    },
    booking: {
      newPatientRate: 0.6,
      existingPatientRate: 0.75,
      answeredLiveFactor: 1.1,
      perExtraAttemptFactor: 0.85,
      speed: { fullMinutes: 1, floorMinutes: 180, floor: 0.35 },
      decidedOnCallShare: 0.6,
    },
  };
}

/**
 * The demo's traffic before demos were made busy (~14 enquiries and ~12 calls an open weekday): what a
 * demo created then keeps playing, so that its live days match the history it was seeded with.
 */
export function quietDemoTraffic(profile: PracticeProfile): PracticeProfile {
  const shares: Readonly<Record<Channel, number>> = {
    phone: 0.45,
    web_form: 0.25,
    chat: 0.08,
    social: 0.06,
    referral: 0.06,
    walk_in: 0.04,
    email: 0.04,
    other: 0.02,
  };
  const channels = Object.fromEntries(CHANNELS.map((channel) => [channel, { ...profile.channels[channel], share: shares[channel] }])) as Record<
    Channel,
    ChannelProfile
  >;
  return {
    ...profile,
    leads: { ...profile.leads, basePerOpenDay: 14 },
    channels,
    phone: { ...profile.phone, otherCallsPerPhoneLead: 0.8 },
  };
}

/**
 * A two-person general dental office in New York: ~3 enquiries an open day, closed Wednesdays and
 * weekends. Small counts (0-10 a day) are where forecasts and boards must stay sensible.
 */
export function smallPracticeProfile(): PracticeProfile {
  const base = demoPracticeProfile();
  const weekdays: OpeningHours = { mon: [['08:00', '17:00']], tue: [['08:00', '17:00']], thu: [['08:00', '17:00']] };
  return {
    ...base,
    name: 'Maple Street Family Dentistry',
    timeZone: 'America/New_York',
    openingHours: { ...weekdays, fri: [['08:00', '13:00']] },
    leads: { ...base.leads, basePerOpenDay: 3, trendPerYear: 0.03 },
    sources: base.sources.filter((source) => !['Referral: Dr Nguyen', 'Walk-by'].includes(source.name)),
    treatments: base.treatments.filter((treatment) => !['Braces', 'Invisalign'].includes(treatment.name)),
    staff: [
      {
        name: 'Robin',
        role: 'front_desk',
        responseSpeed: 1.1,
        bookingSkill: 1.0,
        phonePickup: 0.65,
        shifts: { ...weekdays, fri: [['08:00', '13:00']] },
      },
      {
        name: 'Kai',
        role: 'manager',
        responseSpeed: 0.7,
        bookingSkill: 1.1,
        phonePickup: 0.4,
        shifts: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], thu: [['09:00', '15:00']] },
      },
    ],
  };
}
