import type { MigrationInterface, QueryRunner } from 'typeorm';

// The whole domain model of DESIGN.md. Every row carries practice_id, and every foreign key to a
// practice-owned row is composite (practice_id, id), so the database itself refuses a lead that
// points at another practice's staff, source or campaign.
//
// Enumerations are CHECK constraints with literal lists: a migration is a frozen snapshot and must
// not change meaning when server/domain/domain.contract.ts gains a value (that needs a migration).

export class InitialSchema1795810069323 implements MigrationInterface {
  name = 'InitialSchema1795810069323';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE practice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        time_zone text NOT NULL,
        opening_hours jsonb NOT NULL,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        holiday_region text,
        board_thresholds jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 40),
        role text NOT NULL CHECK (role IN ('front_desk', 'treatment_coordinator', 'manager', 'clinician', 'other')),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (practice_id, id),
        UNIQUE (practice_id, display_name)
      )`);

    await q.query(`
      CREATE TABLE marketing_source (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        default_channel text NOT NULL
          CHECK (default_channel IN ('phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (practice_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX marketing_source_name_uq ON marketing_source (practice_id, lower(name))`);

    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL,
        source_id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (practice_id, id),
        FOREIGN KEY (practice_id, source_id) REFERENCES marketing_source (practice_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX campaign_name_uq ON campaign (source_id, lower(name))`);

    await q.query(`
      CREATE TABLE marketing_spend (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL,
        source_id uuid NOT NULL,
        campaign_id uuid,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
        FOREIGN KEY (practice_id, source_id) REFERENCES marketing_source (practice_id, id) ON DELETE CASCADE,
        FOREIGN KEY (practice_id, campaign_id) REFERENCES campaign (practice_id, id) ON DELETE CASCADE,
        UNIQUE NULLS NOT DISTINCT (practice_id, source_id, campaign_id, month)
      )`);

    await q.query(`
      CREATE TABLE lead (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        external_id text,
        channel text NOT NULL
          CHECK (channel IN ('phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other')),
        source_id uuid,
        campaign_id uuid,
        treatment text,
        is_new_patient boolean NOT NULL,
        created_at timestamptz NOT NULL,
        first_response_at timestamptz,
        first_response_staff_id uuid,
        first_response_via text CHECK (first_response_via IN ('call', 'text', 'email', 'chat', 'in_person')),
        status text NOT NULL CHECK (status IN ('open', 'contacted', 'booked', 'not_booked')),
        not_booked_reason text CHECK (not_booked_reason IN
          ('price', 'scheduling', 'insurance_out_of_network', 'treatment_not_offered', 'no_response', 'other')),
        not_booked_note text,
        booked_at timestamptz,
        booked_by_staff_id uuid,
        appointment_at timestamptz,
        assigned_staff_id uuid,
        estimated_value numeric(12, 2) CHECK (estimated_value >= 0),
        actual_value numeric(12, 2) CHECK (actual_value >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (practice_id, id),
        FOREIGN KEY (practice_id, source_id) REFERENCES marketing_source (practice_id, id),
        FOREIGN KEY (practice_id, campaign_id) REFERENCES campaign (practice_id, id),
        FOREIGN KEY (practice_id, first_response_staff_id) REFERENCES staff (practice_id, id),
        FOREIGN KEY (practice_id, booked_by_staff_id) REFERENCES staff (practice_id, id),
        FOREIGN KEY (practice_id, assigned_staff_id) REFERENCES staff (practice_id, id),
        CHECK (first_response_at IS NULL OR first_response_at >= created_at),
        CHECK (booked_at IS NULL OR booked_at >= created_at),
        CHECK ((status = 'booked') = (booked_at IS NOT NULL)),
        CHECK ((status = 'not_booked') = (not_booked_reason IS NOT NULL))
      )`);
    // Idempotent ingest: one lead per integrator id and practice.
    await q.query(`CREATE UNIQUE INDEX lead_external_id_uq ON lead (practice_id, external_id) WHERE external_id IS NOT NULL`);
    // Today's leads (board rebuild) and every date-range report.
    await q.query(`CREATE INDEX lead_practice_created_idx ON lead (practice_id, created_at)`);
    // Today's bookings, whenever the lead arrived.
    await q.query(`CREATE INDEX lead_practice_booked_idx ON lead (practice_id, booked_at) WHERE booked_at IS NOT NULL`);
    // Leads waiting for a first contact: a small, hot set.
    await q.query(`CREATE INDEX lead_waiting_idx ON lead (practice_id, created_at) WHERE first_response_at IS NULL AND status = 'open'`);
    // First responses made today (leaderboard rebuild).
    await q.query(`CREATE INDEX lead_practice_first_response_idx ON lead (practice_id, first_response_at) WHERE first_response_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        external_id text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        status text NOT NULL CHECK (status IN ('ringing', 'answered', 'missed', 'voicemail', 'abandoned')),
        started_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        wait_seconds integer CHECK (wait_seconds >= 0),
        talk_seconds integer CHECK (talk_seconds >= 0),
        staff_id uuid,
        lead_id uuid,
        is_new_patient boolean,
        after_hours boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (practice_id, id),
        UNIQUE (practice_id, external_id),
        FOREIGN KEY (practice_id, staff_id) REFERENCES staff (practice_id, id),
        FOREIGN KEY (practice_id, lead_id) REFERENCES lead (practice_id, id)
      )`);
    await q.query(`CREATE INDEX call_practice_started_idx ON call (practice_id, started_at)`);
    await q.query(`CREATE INDEX call_lead_idx ON call (lead_id) WHERE lead_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE patient (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        lead_id uuid UNIQUE,
        call_id uuid UNIQUE,
        name text,
        phone text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (practice_id, lead_id) REFERENCES lead (practice_id, id) ON DELETE CASCADE,
        FOREIGN KEY (practice_id, call_id) REFERENCES call (practice_id, id) ON DELETE CASCADE,
        CHECK (lead_id IS NOT NULL OR call_id IS NOT NULL)
      )`);
    // Matching a caller or a form to an earlier lead (one lead per person).
    await q.query(`CREATE INDEX patient_phone_idx ON patient (practice_id, phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE INDEX patient_email_idx ON patient (practice_id, lower(email)) WHERE email IS NOT NULL`);

    await q.query(`
      CREATE TABLE lead_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL,
        lead_id uuid NOT NULL,
        type text NOT NULL CHECK (type IN ('responded', 'booked', 'not_booked', 'contact_attempt')),
        event_id text,
        at timestamptz NOT NULL,
        staff_id uuid,
        detail jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (practice_id, lead_id) REFERENCES lead (practice_id, id) ON DELETE CASCADE,
        FOREIGN KEY (practice_id, staff_id) REFERENCES staff (practice_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX lead_event_event_id_uq ON lead_event (lead_id, event_id) WHERE event_id IS NOT NULL`);
    await q.query(`CREATE INDEX lead_event_lead_idx ON lead_event (lead_id, at)`);

    await q.query(`
      CREATE TABLE contact_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL,
        lead_id uuid NOT NULL,
        staff_id uuid,
        kind text NOT NULL CHECK (kind IN ('call', 'text', 'email', 'chat')),
        outcome text NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'left_message', 'sent', 'failed')),
        at timestamptz NOT NULL,
        FOREIGN KEY (practice_id, lead_id) REFERENCES lead (practice_id, id) ON DELETE CASCADE,
        FOREIGN KEY (practice_id, staff_id) REFERENCES staff (practice_id, id)
      )`);
    await q.query(`CREATE INDEX contact_attempt_lead_idx ON contact_attempt (lead_id, at)`);
    await q.query(`CREATE INDEX contact_attempt_practice_at_idx ON contact_attempt (practice_id, at)`);

    await q.query(`
      CREATE TABLE goal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        metric text NOT NULL CHECK (metric IN ('leads', 'bookings', 'revenue')),
        target numeric(14, 2) NOT NULL CHECK (target >= 0),
        UNIQUE (practice_id, month, metric)
      )`);

    await q.query(`
      CREATE TABLE ingest_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE display_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        practice_id uuid NOT NULL REFERENCES practice (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        token_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'display_token',
      'ingest_key',
      'goal',
      'contact_attempt',
      'lead_event',
      'patient',
      'call',
      'lead',
      'marketing_spend',
      'campaign',
      'marketing_source',
      'staff',
      'practice',
    ]) {
      await q.query(`DROP TABLE IF EXISTS "${table}"`);
    }
  }
}
