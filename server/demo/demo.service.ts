// The demo a new user sees on `npm start`: on an empty database, a practice with two years of
// simulated history, fed live by the simulator through the same ingest services as the API.
// Its credentials are kept in the data folder (like a .env file) so the TV link survives restarts.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { addDays, localDay } from '../common/local-date.js';
import type { AppConfig } from '../config/app-config.js';
import { ForecastStore } from '../forecast/forecast-store.js';
import { IngestService } from '../ingest/ingest.service.js';
import { MarketingSourcesService, type MonthlySpend } from '../practices/marketing-sources.service.js';
import { practiceCalendar } from '../practices/practice-calendar.js';
import { PracticesService } from '../practices/practices.service.js';
import { demoPracticeProfile, quietDemoTraffic, type PracticeProfile } from '../simulator/practice-profile.js';
import { LiveSimulator, seedHistory } from '../simulator/simulator.driver.js';
import { demoProfileIn, placeDemo } from './demo-placement.js';
import { UsersService } from '../users/users.service.js';

export const DEMO_SEED = 'demo-practice';
/** A little over two years, so the demo does not sit exactly on a model's two-year threshold. */
const HISTORY_DAYS = 760;

export interface DemoCredentials {
  practiceId: string;
  ingestKey: string;
  displayToken: string;
  /** The demo's traffic, fixed when its history was seeded: 'busy' (a multi-chair practice's new-patient
   * desk) for demos created since, 'quiet' for an older demo (its file has no `volume`), which keeps
   * its own rate so that the live day matches its history and forecasts (a restart never rewrites). */
  volume?: DemoVolume;
}

export type DemoVolume = 'busy' | 'quiet';

export const DEMO_ADMIN_EMAIL = 'admin@demo.test';

/** The demo's credentials, with the first admin's password when it was created just now (never saved). */
export type DemoStart = DemoCredentials & { adminEmail: string; adminPassword: string | null };

@Injectable()
export class DemoService implements OnApplicationShutdown {
  private readonly logger = new Logger(DemoService.name);
  private simulator: LiveSimulator | null = null;
  /** The traffic of the demo found or created by ensureDemo. */
  private volume: DemoVolume = 'busy';

  constructor(
    private readonly dataSource: DataSource,
    private readonly practices: PracticesService,
    private readonly marketingSources: MarketingSourcesService,
    private readonly auth: AuthService,
    private readonly ingest: IngestService,
    private readonly users: UsersService,
    private readonly forecasts: ForecastStore,
  ) {}

  /** Creates the demo on an empty database, or finds it again; null when the database holds other practices. */
  async ensureDemo(config: AppConfig, profile: PracticeProfile = demoPracticeProfile()): Promise<DemoStart | null> {
    const credentials = await this.ensureDemoCredentials(config, profile);
    if (!credentials) return null;
    return { ...credentials, adminEmail: DEMO_ADMIN_EMAIL, adminPassword: await this.ensureDemoAdmin(credentials.practiceId) };
  }

  /** The demo's first admin, created once with a generated password returned to print once; null when it exists. */
  private async ensureDemoAdmin(practiceId: string): Promise<string | null> {
    if (await this.users.findByEmail(practiceId, DEMO_ADMIN_EMAIL)) return null;
    const { generatedPassword } = await this.users.createUser(practiceId, { email: DEMO_ADMIN_EMAIL, displayName: 'Demo admin', role: 'admin' });
    return generatedPassword;
  }

  private async ensureDemoCredentials(config: AppConfig, profile: PracticeProfile): Promise<DemoCredentials | null> {
    const file = join(config.dataDir, 'demo-credentials.json');
    const saved = readCredentials(file);
    if (saved && (await this.stillValid(saved))) {
      this.volume = saved.volume ?? 'quiet';
      return saved;
    }

    const existing = await this.practices.listPractices();
    const demo = saved ? existing.find((practice) => practice.id === saved.practiceId) : undefined;
    if (!demo && existing.length > 0) return null;

    // A new demo practice sits where it is office hours now (see demo-placement.ts).
    const practiceId = demo?.id ?? (await this.createPractice(placeDemo(profile, new Date())));
    this.volume = demo ? (saved?.volume ?? 'quiet') : 'busy';
    const credentials: DemoCredentials = {
      volume: this.volume,
      practiceId,
      ingestKey: (await this.practices.createIngestKey(practiceId, 'demo')).secret,
      displayToken: (await this.practices.createDisplayToken(practiceId, 'Demo TV')).secret,
    };
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
    return credentials;
  }

  /** Two years of history (`days`, for tests) up to today, once: skipped when the practice already has leads. */
  async seedHistory(practiceId: string, base: PracticeProfile = demoPracticeProfile(), days = HISTORY_DAYS): Promise<void> {
    const profile = await this.profileOf(practiceId, base);
    const [{ leads }]: [{ leads: number }] = await this.dataSource.query(`SELECT count(*)::int AS leads FROM lead WHERE practice_id = $1`, [practiceId]);
    if (leads > 0) return;
    const today = localDay(new Date(), profile.timeZone);
    const from = addDays(today, -days);
    this.logger.log(`seeding ${days} days of simulated history for the demo practice…`);
    const report = await seedHistory(this.ingest, practiceId, profile, {
      from,
      to: today,
      seed: DEMO_SEED,
      staffIds: await this.staffIds(practiceId),
      onProgress: ({ daysDone, daysTotal }) => {
        if (daysDone % 120 === 0) this.logger.log(`seeded ${daysDone}/${daysTotal} days`);
      },
    });
    await this.seedSpend(practiceId, profile, from, today);
    await this.seedGoals(practiceId, profile.timeZone);
    // Today's forecast was computed (and kept for the day) when the board first loaded, before any
    // history: recompute it now, so the board rebuilt after seeding has its on-pace curve today.
    await this.forecasts.practiceDay(practiceId, true);
    this.logger.log(
      `seeded ${report.days} days: ${report.applied} actions in ${(report.elapsedMs / 1000).toFixed(1)} s` +
        (report.failed ? `, ${report.failed} failed (first: ${report.failures[0]?.message})` : ''),
    );
  }

  async startSimulator(practiceId: string, speed: number, historySeeded: Promise<unknown>, base: PracticeProfile = demoPracticeProfile()): Promise<void> {
    const profile = await this.profileOf(practiceId, base);
    this.simulator = new LiveSimulator(this.ingest, {
      practiceId,
      profile,
      seed: DEMO_SEED,
      staffIds: await this.staffIds(practiceId),
      speed,
      holdHistoryUntil: historySeeded,
      onError: (failure) => this.logger.warn(`simulator: ${failure.kind} failed: ${failure.message}`),
    });
    await this.simulator.start();
    // A demo created in office hours keeps its place (its history is that place's); restarted at night
    // there, the TV says "Closed · opens ..." and the simulator plays the quiet night until it opens.
    const practice = await this.practices.getPractice(practiceId);
    const calendar = practiceCalendar(practice);
    const now = new Date();
    if (!calendar.isOpenAt(now)) {
      const opens = calendar.nextOpening(now);
      const when = opens ? DateTime.fromJSDate(opens, { zone: practice.timeZone }).toFormat('ccc HH:mm') : 'not within two weeks';
      this.logger.log(`the demo practice (${practice.timeZone}) is closed now; it opens ${when} its time, and the TV says so until then`);
    }
  }

  /** Stops the live simulator (this process is no longer the one that runs it). */
  stopSimulator(): void {
    // Fire and forget: stop() resolves once an action in flight has finished, which neither a lost
    // leadership nor shutdown waits for.
    void this.simulator?.stop();
    this.simulator = null;
  }

  onApplicationShutdown(): void {
    this.stopSimulator();
  }

  private async createPractice(profile: PracticeProfile): Promise<string> {
    const practice = await this.practices.createPractice({
      name: `${profile.name} (demo)`,
      timeZone: profile.timeZone,
      currency: profile.currency,
      openingHours: profile.openingHours,
      holidayRegion: [profile.holidays.country, profile.holidays.state].filter(Boolean).join('-'),
    });
    for (const member of profile.staff) await this.practices.addStaff(practice.id, member.name, member.role);
    for (const source of profile.sources) await this.practices.addSource(practice.id, source.name, source.defaultChannel);
    return practice.id;
  }

  /** The profile the demo plays: its place (time zone, holidays, currency) and its traffic. */
  async profileOf(practiceId: string, base: PracticeProfile = demoPracticeProfile()): Promise<PracticeProfile> {
    const placed = demoProfileIn(base, (await this.practices.getPractice(practiceId)).timeZone);
    return this.volume === 'quiet' ? quietDemoTraffic(placed) : placed;
  }

  private async staffIds(practiceId: string): Promise<Record<string, string>> {
    const staff = await this.practices.listStaff(practiceId);
    return Object.fromEntries(staff.map((member) => [member.displayName, member.id]));
  }

  /** Monthly marketing spend per source and campaign, from the profile, for ROI views. */
  private async seedSpend(practiceId: string, profile: PracticeProfile, from: string, to: string): Promise<void> {
    const rows: Array<{ id: string; name: string; campaign_id: string | null; campaign: string | null }> = await this.dataSource.query(
      `SELECT s.id, s.name, c.id AS campaign_id, c.name AS campaign
         FROM marketing_source s LEFT JOIN campaign c ON c.source_id = s.id WHERE s.practice_id = $1`,
      [practiceId],
    );
    const spend: MonthlySpend[] = [];
    for (let month = DateTime.fromISO(from).startOf('month'); month.toISODate()! < to; month = month.plus({ months: 1 })) {
      for (const source of profile.sources) {
        const sourceRows = rows.filter((row) => row.name === source.name);
        const sourceId = sourceRows[0]?.id;
        if (!sourceId) continue;
        if (source.monthlySpend > 0) spend.push({ practiceId, sourceId, campaignId: null, month: month.toISODate()!, amount: source.monthlySpend });
        for (const campaign of source.campaigns) {
          const campaignId = sourceRows.find((row) => row.campaign === campaign.name)?.campaign_id;
          if (campaignId && campaign.monthlySpend > 0) {
            spend.push({ practiceId, sourceId, campaignId, month: month.toISODate()!, amount: campaign.monthlySpend });
          }
        }
      }
    }
    await this.marketingSources.insertSpend(this.dataSource.manager, spend);
  }

  /** Goals for the last three months and the next three, so the goals view has something to track:
   * 10% more new-patient leads, bookings and booked revenue than the same month a year before. */
  private async seedGoals(practiceId: string, timeZone: string): Promise<void> {
    await this.dataSource.query(
      `WITH months AS (
         SELECT generate_series(date_trunc('month', (now() AT TIME ZONE $2)::date) - interval '3 months',
                                date_trunc('month', (now() AT TIME ZONE $2)::date) + interval '3 months',
                                interval '1 month')::date AS month
       ), last_year AS (
         SELECT m.month,
                count(l.id) AS leads,
                count(l.id) FILTER (WHERE l.status = 'booked') AS bookings,
                coalesce(sum(l.estimated_value) FILTER (WHERE l.status = 'booked'), 0) AS revenue
           FROM months m
           LEFT JOIN lead l ON l.practice_id = $1 AND l.is_new_patient AND l.merged_into_lead_id IS NULL
                           AND l.created_at >= (m.month - interval '1 year')::timestamp AT TIME ZONE $2
                           AND l.created_at < (m.month - interval '1 year' + interval '1 month')::timestamp AT TIME ZONE $2
          GROUP BY m.month
       )
       INSERT INTO goal (practice_id, month, metric, target)
       SELECT $1, month, metric, round(value * 1.1, CASE WHEN metric = 'revenue' THEN -2 ELSE 0 END)
         FROM last_year
        CROSS JOIN LATERAL (VALUES ('leads', leads::numeric), ('bookings', bookings::numeric), ('revenue', revenue)) AS v(metric, value)
        WHERE value > 0
       ON CONFLICT (practice_id, month, metric) DO NOTHING`,
      [practiceId, timeZone],
    );
  }

  private async stillValid(credentials: DemoCredentials): Promise<boolean> {
    const display = await this.auth.displayPrincipal(credentials.displayToken);
    const ingest = await this.auth.ingestPrincipal(credentials.ingestKey);
    return display.ok && display.principal.practiceId === credentials.practiceId && ingest?.practiceId === credentials.practiceId;
  }
}

function readCredentials(file: string): DemoCredentials | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoCredentials>;
    return parsed.practiceId && parsed.ingestKey && parsed.displayToken ? (parsed as DemoCredentials) : null;
  } catch {
    return null;
  }
}
