// Words for the contract's enums, as a TV shows them. `Record<Union, string>` makes the compiler
// insist on a label for every value, so a new channel cannot reach the screen as a raw id.

import type { Channel } from '../../../server/domain/domain.constants.js';

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

/** Label for a channel, tolerant of a value newer than this build of the board. */
export const channelLabel = (channel: Channel | null): string | null =>
  channel === null ? null : (CHANNEL_LABELS[channel] ?? channel);
