import type { Channel } from '../../server/domain/domain.constants.js';
import { CHANNEL_LABELS, channelLabel } from '../../wallboard/src/lib/labels.js';

describe('channelLabel', () => {
  it('says every channel in words', () => {
    expect(channelLabel('web_form')).toBe('Web form');
    expect(channelLabel('walk_in')).toBe('Walk-in');
    for (const label of Object.values(CHANNEL_LABELS)) expect(label).toMatch(/^[A-Z][a-z -]+$/);
  });
  it('passes through a channel newer than this build, and null', () => {
    expect(channelLabel('fax' as Channel)).toBe('fax');
    expect(channelLabel(null)).toBeNull();
  });
});
