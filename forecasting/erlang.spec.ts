import { erlangAMetrics, erlangB, erlangC, erlangCMetrics } from './erlang.js';
import { staffingPlan, staffingWhatIf, staffNeeded } from './staffing.js';

describe('Erlang B and C', () => {
  it('match textbook values', () => {
    expect(erlangB(5, 3)).toBeCloseTo(0.110054, 6);
    expect(erlangC(4, 2)).toBeCloseTo(4 / 23, 12);
    // 200 calls/h, AHT 180 s (10 Erlangs), 20 s target: the classic worked example.
    const expected: [number, number, number, number][] = [
      [11, 0.6821, 0.3896, 122.8],
      [12, 0.4494, 0.6402, 40.4],
      [13, 0.2853, 0.7956, 17.1],
    ];
    for (const [agents, wait, serviceLevel, asa] of expected) {
      const m = erlangCMetrics({ callsPerHour: 200, ahtSeconds: 180, agents, targetSeconds: 20 });
      expect(m.waitingProbability).toBeCloseTo(wait, 4);
      expect(m.serviceLevel).toBeCloseTo(serviceLevel, 4);
      expect(m.averageSpeedOfAnswer).toBeCloseTo(asa, 1);
      expect(m.occupancy).toBeCloseTo(10 / agents, 12);
    }
  });

  it('is stable at huge loads and handles zero and overload', () => {
    expect(erlangB(100_000, 90_000)).toBeGreaterThanOrEqual(0);
    expect(erlangC(100_000, 99_000)).toBeGreaterThan(0);
    expect(erlangC(100_000, 99_000)).toBeLessThan(1);
    expect(erlangB(3, 0)).toBe(0);
    expect(erlangC(3, 5)).toBe(1);
    expect(erlangB(Number.NaN, 1)).toBeNaN();
    const overloaded = erlangCMetrics({ callsPerHour: 200, ahtSeconds: 180, agents: 10, targetSeconds: 20 });
    expect(overloaded.serviceLevel).toBe(0);
    expect(overloaded.averageSpeedOfAnswer).toBe(Infinity);
    const idle = erlangCMetrics({ callsPerHour: 0, ahtSeconds: 180, agents: 0, targetSeconds: 20 });
    expect(idle).toMatchObject({ serviceLevel: 1, waitingProbability: 0, occupancy: 0 });
  });
});

describe('Erlang A', () => {
  it('tends to Erlang C as patience grows', () => {
    const c = erlangCMetrics({ callsPerHour: 100, ahtSeconds: 180, agents: 7, targetSeconds: 20 });
    const a = erlangAMetrics({ callsPerHour: 100, ahtSeconds: 180, agents: 7, targetSeconds: 20, patienceSeconds: 1e8 });
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 4);
    expect(a.waitingProbability).toBeCloseTo(c.waitingProbability, 4);
    expect(a.averageSpeedOfAnswer).toBeCloseTo(c.averageSpeedOfAnswer, 1);
    expect(a.abandonmentRate).toBeLessThan(1e-5);
  });

  it('loses everyone with no agents and stays stable when overloaded', () => {
    const none = erlangAMetrics({ callsPerHour: 100, ahtSeconds: 180, agents: 0, targetSeconds: 20, patienceSeconds: 60 });
    expect(none.abandonmentRate).toBeCloseTo(1, 12);
    expect(none.serviceLevel).toBe(0);
    expect(none.averageSpeedOfAnswer).toBeCloseTo(60, 9); // everyone waits their whole patience
    const over = erlangAMetrics({ callsPerHour: 200, ahtSeconds: 180, agents: 8, targetSeconds: 20, patienceSeconds: 60 });
    // Carried load cannot exceed the agents: abandonment >= 1 - 8/10.
    expect(over.abandonmentRate).toBeGreaterThan(0.2);
    expect(over.occupancy).toBeLessThanOrEqual(1);
    // M/M/1+M with λ = μ = θ: π_j = e⁻¹/j!, so P(wait) = (e − 1)/e and E[Q] = Σ (j−1)π_j = 1/e,
    // hence abandonment θ·E[Q]/λ = 1/e. With T = 0 only callers answered at once count.
    const m = erlangAMetrics({ callsPerHour: 10, ahtSeconds: 360, agents: 1, targetSeconds: 0, patienceSeconds: 360 });
    expect(m.serviceLevel).toBeCloseTo(1 - m.waitingProbability, 12);
    expect(m.waitingProbability).toBeCloseTo((Math.E - 1) / Math.E, 10);
    expect(m.abandonmentRate).toBeCloseTo(1 / Math.E, 10);
  });
});

describe('nobody on the phones', () => {
  // With 0 agents no call is ever answered: service level 0 and every call missed, whichever model.
  it.each([
    ['Erlang C (no patience)', undefined],
    ['Erlang A (patience 60 s)', 60],
  ])('misses every call with %s', (_name, patienceSeconds) => {
    const target = { ahtSeconds: 240, targetSeconds: 20, serviceLevel: 0.8, ...(patienceSeconds ? { patienceSeconds } : {}) };
    const result = staffingWhatIf(12, 0, target);
    expect(result.metrics.serviceLevel).toBe(0);
    expect(result.metrics.abandonmentRate).toBeCloseTo(1, 12);
    expect(result.missedCallsPerHour).toBeCloseTo(12, 9);
    expect(result.metrics.occupancy).toBe(0);
  });

  it('Erlang C in overload misses at least the calls beyond what the agents can carry', () => {
    // 200 calls/h × 180 s = 10 Erlangs; 8 agents carry at most 8: 20% of calls are never answered.
    const over = erlangCMetrics({ callsPerHour: 200, ahtSeconds: 180, agents: 8, targetSeconds: 20 });
    expect(over.abandonmentRate).toBeCloseTo(0.2, 12);
    // ...which is where Erlang A goes as callers' patience grows.
    const patient = erlangAMetrics({ callsPerHour: 200, ahtSeconds: 180, agents: 8, targetSeconds: 20, patienceSeconds: 1e7 });
    expect(patient.abandonmentRate).toBeCloseTo(0.2, 3);
    // A stable queue with patient callers loses nobody.
    expect(erlangCMetrics({ callsPerHour: 200, ahtSeconds: 180, agents: 12, targetSeconds: 20 }).abandonmentRate).toBe(0);
  });
});

describe('staffing', () => {
  const target = { ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 };

  it('finds the fewest agents meeting the service level, occupancy cap and shrinkage', () => {
    expect(staffNeeded(200, target).agents).toBe(14);
    expect(staffNeeded(200, { ...target, maxOccupancy: 0.7 }).agents).toBe(15);
    expect(staffNeeded(200, { ...target, shrinkage: 0.3 }).scheduled).toBe(20);
    expect(staffNeeded(0, target)).toMatchObject({ agents: 0, scheduled: 0, missedCallsPerHour: 0 });
    expect(() => staffNeeded(Number.NaN, target)).toThrow(RangeError);
    expect(() => staffNeeded(10, { ...target, serviceLevel: 1 })).toThrow(RangeError);
  });

  it('reports missed calls for a what-if staff count and plans by hour', () => {
    const whatIf = staffingWhatIf(200, 10, { ...target, patienceSeconds: 60 });
    expect(whatIf.missedCallsPerHour).toBeCloseTo(200 * whatIf.metrics.abandonmentRate, 12);
    expect(whatIf.missedCallsPerHour).toBeGreaterThan(10);
    expect(staffingPlan([0, 200, 20], target).map((r) => r.agents)).toEqual([0, 14, 3]);
    expect(staffingPlan([], target)).toEqual([]);
  });

  it('staffs open intervals only: a closed one gets nobody and all its calls are missed', () => {
    const plan = staffingPlan([0.2, 20, 0.2, 0], { ...target, shrinkage: 0.3 }, [false, true, true, false]);
    expect(plan.map((r) => r.open)).toEqual([false, true, true, false]);
    expect(plan.map((r) => r.scheduled)).toEqual([0, plan[1]!.scheduled, 2, 0]);
    expect(plan[1]!.scheduled).toBeGreaterThan(0);
    expect(plan[0]).toMatchObject({ agents: 0, scheduled: 0, missedCallsPerHour: 0.2 });
    expect(plan[3]).toMatchObject({ agents: 0, scheduled: 0, missedCallsPerHour: 0 });
  });
});
