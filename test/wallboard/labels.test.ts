import type { Channel } from '../../server/domain/domain.contract.js';
import { CHANNEL_LABELS, channelLabel, speedScope } from '../../wallboard/src/lib/labels.js';

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

describe('speedScope', () => {
  it('says the shorter of what is left out and what is counted', () => {
    expect(speedScope(['web_form', 'chat', 'social', 'referral', 'email', 'other'])).toBe('not phone or walk-in');
    expect(speedScope(['web_form', 'chat'])).toBe('web form or chat');
    expect(speedScope(['web_form'])).toBe('web form');
    expect(speedScope(['phone', 'web_form', 'chat', 'social', 'referral', 'walk_in', 'email', 'other'])).toBe('every channel');
    expect(speedScope([])).toBe('no channels');
  });
});
