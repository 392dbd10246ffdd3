// Words for the contract's enums, as the TV and the manager pages show them (the one copy of the
// channel labels in the wallboard; the lists themselves come from the domain's vocabulary).
// `Record<Union, string>` makes the compiler insist on a label for every value, so a new channel
// cannot reach the screen as a raw id.

import { CHANNELS, type Channel } from '$contracts/domain/domain';

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
export const channelLabel = (channel: Channel | null): string | null => (channel === null ? null : (CHANNEL_LABELS[channel] ?? channel));

/**
 * Which leads a response time counts, short enough for the TV: the channels left out when that is
 * shorter (`not phone or walk-in`), else the channels counted (`web form or chat`). The server's
 * full sentence (labels.responseTime) is too long to read from across a room.
 */
export function speedScope(channels: readonly Channel[]): string {
  const left = CHANNELS.filter((c) => !channels.includes(c));
  const words = (list: readonly Channel[]) => {
    const names = list.map((c) => (CHANNEL_LABELS[c] ?? c).toLowerCase());
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  };
  if (channels.length === 0) return 'no channels';
  if (left.length === 0) return 'every channel';
  return left.length < channels.length ? `not ${words(left)}` : words(channels);
}
