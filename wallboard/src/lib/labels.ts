// Words for the contract's enums, as a TV shows them. `Record<Union, string>` makes the compiler
// insist on a label for every value, so a new channel or reason cannot reach the screen as a raw id.

import type { Channel, NotBookedReason } from '../../../server/domain/domain.constants.js';
import type { BoardActivityKindV1, BoardActivityV1 } from '../../../server/live/board.contract.js';
import { formatDuration } from './format.js';

export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: 'Phone',
  web_form: 'Web form',
  chat: 'Chat',
  social: 'Social',
  referral: 'Referral',
  walk_in: 'Walk-in',
  email: 'Email',
  other: 'Other',
};

export const REASON_LABELS: Record<NotBookedReason, string> = {
  price: 'price',
  scheduling: 'scheduling',
  insurance_out_of_network: 'insurance out of network',
  treatment_not_offered: 'treatment not offered',
  no_response: 'no response',
  other: 'other reason',
};

/** good: a win to celebrate; bad: a lost opportunity; info: neither. Drives icon and colour. */
export type ActivityTone = 'good' | 'bad' | 'info';

export const ACTIVITY_KINDS: Record<BoardActivityKindV1, { label: string; tone: ActivityTone }> = {
  lead_created: { label: 'New lead', tone: 'info' },
  lead_responded: { label: 'Responded', tone: 'info' },
  lead_booked: { label: 'Booked', tone: 'good' },
  lead_not_booked: { label: 'Not booked', tone: 'bad' },
  call_answered: { label: 'Call answered', tone: 'good' },
  call_missed: { label: 'Missed call', tone: 'bad' },
  call_voicemail: { label: 'Voicemail', tone: 'bad' },
  call_abandoned: { label: 'Hung up', tone: 'bad' }, // caller gave up waiting
};

/** Label for a channel, tolerant of a value newer than this build of the board. */
export const channelLabel = (channel: Channel | null): string | null =>
  channel === null ? null : (CHANNEL_LABELS[channel] ?? channel);

/**
 * The detail line of an activity item, e.g. `Web form · Google Ads · Sam · in 3 m 20 s`.
 * Only the contract's fields, which carry no patient data, can appear here.
 */
export function activityDetail(item: BoardActivityV1): string {
  const parts: string[] = [];
  const channel = channelLabel(item.channel);
  if (channel) parts.push(channel);
  if (item.source) parts.push(item.source);
  if (item.staff) parts.push(item.staff);
  if (item.reason) parts.push(REASON_LABELS[item.reason] ?? item.reason);
  if (item.responseSeconds !== null) parts.push(`in ${formatDuration(item.responseSeconds)}`);
  return parts.join(' · ');
}
