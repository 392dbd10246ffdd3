import type { BoardActivityV1 } from '../../server/live/board.contract.js';
import { activityDetail } from '../../wallboard/src/lib/labels.js';

const item = (over: Partial<BoardActivityV1>): BoardActivityV1 => ({
  id: 'a1',
  at: '2026-11-27T10:00:00Z',
  kind: 'lead_responded',
  channel: null,
  source: null,
  staff: null,
  reason: null,
  responseSeconds: null,
  ...over,
});

describe('activityDetail', () => {
  it('joins what is known, in words', () => {
    expect(activityDetail(item({ channel: 'web_form', source: 'Google Ads', staff: 'Sam', responseSeconds: 200 }))).toBe(
      'Web form · Google Ads · Sam · in 3 m 20 s',
    );
    expect(activityDetail(item({ kind: 'lead_not_booked', staff: 'Ana', reason: 'insurance_out_of_network' }))).toBe(
      'Ana · insurance out of network',
    );
  });
  it('is empty when nothing is known', () => {
    expect(activityDetail(item({}))).toBe('');
  });
});
