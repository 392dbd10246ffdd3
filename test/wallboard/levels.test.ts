import { DEFAULT_BOARD_THRESHOLDS } from '../../server/domain/domain.contract.js';
import { missedRateJudged, missedRateLevel, waitingLevel } from '../../wallboard/src/lib/levels.js';

describe('waitingLevel', () => {
  const t = DEFAULT_BOARD_THRESHOLDS; // amber 5 min, red 15 min
  it.each([
    [null, 'ok'],
    [0, 'ok'],
    [299, 'ok'],
    [300, 'amber'],
    [899, 'amber'],
    [900, 'red'],
    [86_400, 'red'],
  ] as const)('%p s → %p', (seconds, level) => {
    expect(waitingLevel(seconds, t)).toBe(level);
  });
  it("follows the practice's own thresholds", () => {
    expect(waitingLevel(90, { ...t, waitingAmberSeconds: 60, waitingRedSeconds: 120 })).toBe('amber');
  });
});

describe('missedRateLevel', () => {
  const t = DEFAULT_BOARD_THRESHOLDS; // amber 10 %, red 20 %
  it.each([
    [null, 'ok'],
    [0.05, 'ok'],
    [0.1, 'amber'],
    [0.19, 'amber'],
    [0.2, 'red'],
  ] as const)('%p → %p', (rate, level) => {
    expect(missedRateLevel(rate, t)).toBe(level);
  });
});

describe('missedRateJudged', () => {
  it('does not judge the day\'s first calls: 1 missed of 1 is not "100% red"', () => {
    expect(missedRateJudged({ inbound: 1, missedRate: 1, rateMinimumCalls: 10 })).toBe(false);
    expect(missedRateJudged({ inbound: 9, missedRate: 0.5, rateMinimumCalls: 10 })).toBe(false);
  });
  it('judges the rate from the minimum the server sends on', () => {
    expect(missedRateJudged({ inbound: 10, missedRate: 0.3, rateMinimumCalls: 10 })).toBe(true);
  });
  it('has nothing to judge without a rate, and judges every rate from a server that sends no minimum', () => {
    expect(missedRateJudged({ inbound: 0, missedRate: null, rateMinimumCalls: 10 })).toBe(false);
    expect(missedRateJudged({ inbound: 1, missedRate: 1 })).toBe(true);
  });
});
