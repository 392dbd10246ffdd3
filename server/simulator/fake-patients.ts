// Invented patient details for simulated leads. They are deliberately odd and easy to grep for:
// privacy tests scan every board payload for them, so they must never look like ordinary words.
// Phones use the 555-01xx block reserved for fiction; emails use the reserved .test domain.

import type { Channel } from '../domain/domain.contract.js';
import type { PatientDetailsInput } from '../patients/patient-details.schema.js';
import type { Random } from './random.js';

export const FAKE_FIRST_NAMES = [
  'Zelda',
  'Ignatius',
  'Philippa',
  'Barnaby',
  'Octavia',
  'Thaddeus',
  'Perpetua',
  'Cornelius',
  'Winifred',
  'Ezekiel',
  'Marigold',
  'Lysander',
  'Hortensia',
  'Algernon',
  'Clementine',
  'Bartholomew',
] as const;

export const FAKE_LAST_NAMES = [
  'Quimby',
  'Fairweather',
  'Pennywhistle',
  'Gallowglass',
  'Thistlewood',
  'Ravenscroft',
  'Bumbleford',
  'Merriwether',
  'Quillfeather',
  'Snodgrass',
  'Wetherby',
  'Cattermole',
] as const;

/** Every fake phone number starts with this; a privacy test can search for it. */
export const FAKE_PHONE_PREFIX = '+1 555 01';
/** Every fake email ends with this. */
export const FAKE_EMAIL_DOMAIN = 'example.test';

/** A fake phone number, e.g. "+1 555 0142 3179". A million of them, so two simulated people rarely
 * share one (a shared number is one person to lead merging). */
export function fakePhone(rng: Random): string {
  return `${FAKE_PHONE_PREFIX}${String(rng.int(0, 100)).padStart(2, '0')} ${String(rng.int(0, 10_000)).padStart(4, '0')}`;
}

/**
 * Fake contact details as a lead from this channel would carry them: web forms and email always
 * have an email, phone leads mostly do not, walk-ins give a name and number at the desk.
 */
export function fakePatient(rng: Random, channel: Channel): PatientDetailsInput {
  const first = rng.pick(FAKE_FIRST_NAMES);
  const last = rng.pick(FAKE_LAST_NAMES);
  const online = channel === 'web_form' || channel === 'email' || channel === 'chat' || channel === 'social';
  const patient: PatientDetailsInput = { name: `${first} ${last}` };
  if (channel !== 'email' || rng.chance(0.4)) patient.phone = fakePhone(rng);
  if (online ? channel !== 'social' || rng.chance(0.5) : rng.chance(0.2)) {
    patient.email = `${first}.${last}${rng.int(1, 100)}@${FAKE_EMAIL_DOMAIN}`.toLowerCase();
  }
  return patient;
}
