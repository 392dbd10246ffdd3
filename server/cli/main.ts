// `npm run --silent cli -- <command> [options]`: set up practices, staff, sources and credentials, and
// run the forecasting tools. With --json the last line of output is a JSON object. It uses the same
// database rule as the server: DATABASE_URL if set, else the embedded database under ./data.

import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HttpException, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CredentialsService } from '../auth/credentials.service.js';
import { CallsModule } from '../calls/calls.module.js';
import { readAppConfig, type AppConfig } from '../config/app-config.js';
import { DatabaseModule } from '../database/database.module.js';
import { USER_ROLES, type UserRole } from '../domain/domain.contract.js';
import { acquireEmbeddedLock, EmbeddedDatabaseInUseError } from '../database/embedded-lock.js';
import { CallImportService } from '../exchange/call-import.service.js';
import { ExportService } from '../exchange/export.service.js';
import { LeadImportService, parseMapping } from '../exchange/lead-import.service.js';
import { SpendImportService } from '../exchange/spend-import.service.js';
import { IntegrationsModule } from '../integrations/integrations.module.js';
import { INTEGRATION_KINDS, IntegrationsService, type IntegrationKind } from '../integrations/integrations.service.js';
import { LeadsModule } from '../leads/leads.module.js';
import { parseOpeningHours } from '../practices/opening-hours.js';
import { PracticesModule } from '../practices/practices.module.js';
import { PracticesService } from '../practices/practices.service.js';
import { RateLimitModule } from '../ratelimit/rate-limit.js';
import { UsersModule } from '../users/users.module.js';
import { UsersService } from '../users/users.service.js';
import { boardUrl } from '../common/board-url.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  summary: string;
  options: Options;
  required: string[];
  run(practices: PracticesService, values: Values, config: AppConfig, context: INestApplicationContext): Promise<{ lines: string[]; json: object }>;
}

const practiceOption: Options = { practice: { type: 'string' } };

const COMMANDS: Record<string, Command> = {
  'practice:create': {
    summary: '--name N --timezone IANA [--hours "mon-fri 08:00-18:00; sat 09:00-13:00"] [--currency USD] [--holidays US]',
    options: { name: { type: 'string' }, timezone: { type: 'string' }, hours: { type: 'string' }, currency: { type: 'string' }, holidays: { type: 'string' } },
    required: ['name', 'timezone'],
    async run(practices, values, config) {
      const practice = await practices.createPractice({
        name: String(values.name),
        timeZone: String(values.timezone),
        currency: values.currency as string | undefined,
        openingHours: values.hours === undefined ? undefined : parseOpeningHours(String(values.hours)),
        holidayRegion: (values.holidays as string | undefined) ?? null,
      });
      const key = await practices.createIngestKey(practice.id, 'default');
      const display = await practices.createDisplayToken(practice.id, 'Front desk TV');
      const url = boardUrl(config, display.secret);
      return {
        lines: [
          `practice ${practice.id} created: ${practice.name} (${practice.timeZone})`,
          `ingest API key (shown once): ${key.secret}`,
          `display token  (shown once): ${display.secret}`,
          `TV board: ${url}`,
        ],
        json: { practiceId: practice.id, ingestKey: key.secret, ingestKeyId: key.id, displayToken: display.secret, displayId: display.id, boardUrl: url },
      };
    },
  },
  'practice:list': {
    summary: '',
    options: {},
    required: [],
    async run(practices) {
      const list = await practices.listPractices();
      return {
        lines: list.map((p) => `${p.id}  ${p.name}  ${p.timeZone}`),
        json: { practices: list.map((p) => ({ id: p.id, name: p.name, timeZone: p.timeZone, currency: p.currency })) },
      };
    },
  },
  'staff:add': {
    summary: '--practice ID --name "Maya" [--role front_desk]',
    options: { ...practiceOption, name: { type: 'string' }, role: { type: 'string' } },
    required: ['practice', 'name'],
    async run(practices, values) {
      const staff = await practices.addStaff(String(values.practice), String(values.name), values.role as string | undefined);
      return {
        lines: [`staff ${staff.id} added: ${staff.displayName} (${staff.role})`],
        json: { staffId: staff.id, displayName: staff.displayName, role: staff.role },
      };
    },
  },
  'source:add': {
    summary: '--practice ID --name "Google Ads" [--channel web_form]',
    options: { ...practiceOption, name: { type: 'string' }, channel: { type: 'string' } },
    required: ['practice', 'name'],
    async run(practices, values) {
      const source = await practices.addSource(String(values.practice), String(values.name), values.channel as string | undefined);
      return { lines: [`source ${source.id} added: ${source.name}`], json: { sourceId: source.id, name: source.name, defaultChannel: source.defaultChannel } };
    },
  },
  'key:create': {
    summary: '--practice ID [--name "Website form"]',
    options: { ...practiceOption, name: { type: 'string' } },
    required: ['practice'],
    async run(practices, values) {
      const key = await practices.createIngestKey(String(values.practice), (values.name as string | undefined) ?? 'integration');
      return {
        lines: [`ingest API key ${key.id} (shown once): ${key.secret}`],
        json: { ingestKeyId: key.id, ingestKey: key.secret, practiceId: key.practiceId },
      };
    },
  },
  'display:create': {
    summary: '--practice ID [--name "Waiting room TV"]',
    options: { ...practiceOption, name: { type: 'string' } },
    required: ['practice'],
    async run(practices, values, config) {
      const display = await practices.createDisplayToken(String(values.practice), (values.name as string | undefined) ?? 'TV');
      const url = boardUrl(config, display.secret);
      return {
        lines: [`display ${display.id} created; token (shown once): ${display.secret}`, `TV board: ${url}`],
        json: { displayId: display.id, displayToken: display.secret, boardUrl: url, practiceId: display.practiceId },
      };
    },
  },
  'import:leads': {
    summary: '--practice ID --file leads.csv [--map createdAt=Date,channel=Source,...] [--dry-run]',
    options: { ...practiceOption, file: { type: 'string' }, map: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    required: ['practice', 'file'],
    async run(practices, values, _config, context) {
      await practices.getPractice(String(values.practice));
      let mapping;
      try {
        mapping = parseMapping(values.map as string | undefined);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const csv = readFileSync(String(values.file), 'utf8');
      try {
        const report = await context.get(LeadImportService).importLeads(String(values.practice), csv, mapping, values['dry-run'] === true);
        const verb = report.dryRun ? 'would import' : 'imported';
        return { lines: [`${verb} ${report.imported} of ${report.rows} rows (${report.booked} booked)`], json: report };
      } catch (error) {
        throw importFailed(error, values);
      }
    },
  },
  'import:calls': {
    summary: "--practice ID --file calls.csv [--dry-run] (the calls export's columns; upsert by external_id)",
    options: { ...practiceOption, file: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    required: ['practice', 'file'],
    async run(practices, values, _config, context) {
      await practices.getPractice(String(values.practice));
      const csv = readFileSync(String(values.file), 'utf8');
      try {
        const report = await context.get(CallImportService).importCalls(String(values.practice), csv, values['dry-run'] === true);
        const verb = report.dryRun ? 'would import' : 'imported';
        return {
          lines: [`${verb} ${report.imported} new calls of ${report.rows} rows (${report.updated} updated, ${report.unchanged} unchanged)`],
          json: report,
        };
      } catch (error) {
        throw importFailed(error, values);
      }
    },
  },
  'import:spend': {
    summary: '--practice ID --file spend.csv [--dry-run] (month,source,campaign,amount; replaces each amount; creates unknown sources)',
    options: { ...practiceOption, file: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    required: ['practice', 'file'],
    async run(practices, values, _config, context) {
      await practices.getPractice(String(values.practice));
      const csv = readFileSync(String(values.file), 'utf8');
      try {
        const report = await context.get(SpendImportService).importSpend(String(values.practice), csv, values['dry-run'] === true);
        const verb = report.dryRun ? 'would write' : 'wrote';
        const created = report.sourcesCreated.length + report.campaignsCreated.length;
        return {
          lines: [
            `${verb} ${report.created} new and ${report.updated} changed amounts of ${report.rows} rows (${report.unchanged} unchanged; ${created} sources or campaigns created)`,
          ],
          json: report,
        };
      } catch (error) {
        throw importFailed(error, values);
      }
    },
  },
  export: {
    summary: '--practice ID --what leads|calls|spend [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--include-contacts] [--out FILE] (CSV to FILE or stdout)',
    options: {
      ...practiceOption,
      what: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'include-contacts': { type: 'boolean' },
      out: { type: 'string' },
    },
    required: ['practice', 'what'],
    async run(practices, values, _config, context) {
      await practices.getPractice(String(values.practice));
      const what = String(values.what);
      for (const option of ['from', 'to'] as const) {
        if (values[option] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(values[option]))) throw new UsageError(`--${option} must be a date YYYY-MM-DD`);
      }
      const query = { from: values.from as string | undefined, to: values.to as string | undefined, includeContacts: values['include-contacts'] === true };
      const exports = context.get(ExportService);
      // Patient details exported from the CLI are logged like any other export (no user: an operator).
      const file =
        what === 'leads'
          ? await exports.leads(String(values.practice), query, null)
          : what === 'calls'
            ? await exports.calls(String(values.practice), query, null)
            : what === 'spend'
              ? await exports.spend(String(values.practice), query)
              : null;
      if (!file) throw new UsageError('--what must be leads, calls or spend');
      if (values.out === undefined) {
        process.stdout.write(file.body);
        return { lines: [], json: { rows: file.rows, filename: `${file.name}.csv` } };
      }
      writeFileSync(String(values.out), file.body);
      return { lines: [`wrote ${file.rows} rows to ${String(values.out)}`], json: { rows: file.rows, file: String(values.out) } };
    },
  },
  'integration:create': {
    summary: '--practice ID --kind twilio --auth-token TOKEN | --kind webhook [--name "Website form"]',
    options: { ...practiceOption, kind: { type: 'string' }, 'auth-token': { type: 'string' }, name: { type: 'string' } },
    required: ['practice', 'kind'],
    async run(_practices, values, _config, context) {
      const kind = String(values.kind);
      if (!(INTEGRATION_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${INTEGRATION_KINDS.join(', ')}`);
      const created = await context.get(IntegrationsService).create(String(values.practice), kind as IntegrationKind, {
        name: values.name as string | undefined,
        authToken: values['auth-token'] as string | undefined,
      });
      const lines =
        created.kind === 'twilio'
          ? [`twilio integration ${created.id} created`, `status callback URL: ${created.url}`]
          : [`webhook integration ${created.id} created`, `webhook URL: ${created.url}`, `signing secret (shown once): ${created.secret}`];
      return {
        lines,
        json: {
          integrationId: created.id,
          practiceId: created.practiceId,
          kind: created.kind,
          name: created.name,
          url: created.url,
          ...(created.secret ? { secret: created.secret } : {}),
        },
      };
    },
  },
  'integration:revoke': {
    summary: '--integration ID',
    options: { integration: { type: 'string' } },
    required: ['integration'],
    async run(_practices, values, _config, context) {
      const row = await context.get(IntegrationsService).revoke(String(values.integration));
      return { lines: [`integration ${row.id} revoked at ${row.revokedAt?.toISOString()}`], json: { integrationId: row.id, revokedAt: row.revokedAt } };
    },
  },
  'user:create': {
    summary: '--practice ID --email E --name N --role admin|manager [--password P] (without one, a strong password is printed once)',
    options: { ...practiceOption, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
    required: ['practice', 'email', 'name', 'role'],
    async run(_practices, values, _config, context) {
      const role = String(values.role);
      if (!(USER_ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${USER_ROLES.join(', ')}`);
      const { user, generatedPassword } = await context.get(UsersService).createUser(String(values.practice), {
        email: String(values.email),
        displayName: String(values.name),
        role: role as UserRole,
        password: values.password as string | undefined,
      });
      return {
        lines: [`user ${user.id} created: ${user.email} (${user.role})`, ...(generatedPassword ? [`password (shown once): ${generatedPassword}`] : [])],
        json: {
          userId: user.id,
          practiceId: user.practiceId,
          email: user.email,
          role: user.role,
          ...(generatedPassword ? { password: generatedPassword } : {}),
        },
      };
    },
  },
  'display:revoke': {
    summary: '--display ID',
    options: { display: { type: 'string' } },
    required: ['display'],
    async run(_practices, values, _config, context) {
      const display = await context.get(CredentialsService).revokeDisplayToken(String(values.display));
      return { lines: [`display ${display.id} revoked at ${display.revokedAt?.toISOString()}`], json: { displayId: display.id, revokedAt: display.revokedAt } };
    },
  },
};

function usage(): string {
  return [
    'usage: npm run --silent cli -- <command> [options] [--json]',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name} ${command.summary}`),
    '  forecast --input FILE.csv --period P|48 [--periods 48,336] --horizon H [--level 80,95]',
    '  forecast --manifest FILE.csv --json   (header input,period,horizon: one JSON line per series)',
    '  staffing --calls-per-hour N --aht-seconds S --target-seconds T --service-level 0.8 [--patience-seconds P] [--shrinkage 0.3]',
  ].join('\n');
}

@Module({})
class CliModule {}

async function runPracticeCommand(name: string, command: Command, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...command.options, json: { type: 'boolean' } }, strict: true });
  const missing = command.required.filter((option) => (values as Values)[option] === undefined);
  if (missing.length > 0) throw new UsageError(`${name}: missing ${missing.map((m) => `--${m}`).join(', ')}\n  ${name} ${command.summary}`);

  const config = readAppConfig();
  // The embedded database is single-process: take it now, or say at once which process has it.
  let releaseLock = () => {};
  if (!config.databaseUrl) {
    try {
      releaseLock = acquireEmbeddedLock(config.dataDir);
    } catch (error) {
      if (error instanceof EmbeddedDatabaseInUseError) throw new UsageError(error.message);
      throw error;
    }
  }
  const context = await NestFactory.createApplicationContext(
    {
      module: CliModule,
      imports: [
        DatabaseModule.forRoot(config),
        PracticesModule,
        LeadsModule,
        CallsModule,
        IntegrationsModule.forRoot(config),
        UsersModule.forRoot(config),
        RateLimitModule.forRoot(config),
      ],
      providers: [LeadImportService, CallImportService, SpendImportService, ExportService],
    },
    { logger: ['error'] },
  );
  try {
    const result = await command.run(context.get(PracticesService), values, config, context);
    for (const line of result.lines) console.log(line);
    if (values.json) console.log(JSON.stringify(result.json));
    return 0;
  } finally {
    await context.close();
    releaseLock();
  }
}

class UsageError extends Error {}

/** An import's row-by-row report: each problem on stderr, the whole report as the last JSON line. */
function importFailed(error: unknown, values: Values): unknown {
  const report =
    error instanceof HttpException
      ? (error.getResponse() as { errors?: Array<{ line: number; field: string; column?: string | null; message: string }> })
      : null;
  for (const problem of report?.errors ?? [])
    console.error(`line ${problem.line} ${problem.field}${problem.column ? ` (${problem.column})` : ''}: ${problem.message}`);
  if (values.json && report) console.log(JSON.stringify(report));
  return error;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'forecast' || name === 'staffing') {
    const { runForecastingCli } = await import('../../forecasting/cli.js');
    const { exitCode, output } = await runForecastingCli(argv);
    for (const line of output) console.log(line);
    return exitCode;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(name === undefined || name === 'help' || name === '--help' ? usage() : `unknown command "${name}"\n${usage()}`);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  try {
    return await runPracticeCommand(name!, command, rest);
  } catch (error) {
    const message =
      error instanceof HttpException ? String((error.getResponse() as { message?: string | string[] }).message ?? error.message) : (error as Error).message;
    console.error(`error: ${message}`);
    return error instanceof UsageError || error instanceof HttpException || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
