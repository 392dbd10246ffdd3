import { erlangAMetrics, type QueueMetrics } from './erlang.js';

/** The service standard a practice wants on its phones. */
export interface StaffingTarget {
  ahtSeconds: number;
  /** T in "answered within T seconds". */
  targetSeconds: number;
  /** Required share answered within T (0-1), e.g. 0.8. */
  serviceLevel: number;
  /** Mean caller patience; when set, Erlang A (abandonment = missed calls), else Erlang C. */
  patienceSeconds?: number;
  /** Share of paid time off the phones (breaks, meetings, training), 0-1; default 0. */
  shrinkage?: number;
  /** Highest acceptable occupancy (0-1); default 1 (no cap). */
  maxOccupancy?: number;
}

/** Staff needed for one interval and what callers then experience. */
export interface StaffingResult {
  callsPerHour: number;
  /** Inside opening hours. Closed intervals get nobody: their calls go to voicemail or an
   * answering service and are all missed by the desk. */
  open: boolean;
  /** Agents needed on the phones. */
  agents: number;
  /** Staff to schedule so that `agents` remain after shrinkage: ceil(agents / (1 − shrinkage)). */
  scheduled: number;
  metrics: QueueMetrics;
  /** Expected missed (abandoned) calls in the hour: calls × abandonment rate. */
  missedCallsPerHour: number;
}

/**
 * Queue metrics for a given number of agents (the what-if): service level, waiting
 * probability, ASA, occupancy and, with patience, abandonment and missed calls per hour.
 * `agents` is the number on the phones (after shrinkage). Cost: as {@link erlangAMetrics}.
 * No calls: service level 1 and 0 missed calls, whatever the agents.
 *
 * @example
 * staffingWhatIf(100, 7, { ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }).metrics.serviceLevel; // 0.74
 */
export function staffingWhatIf(callsPerHour: number, agents: number, target: StaffingTarget): StaffingResult {
  const metrics = erlangAMetrics({ ...target, callsPerHour, agents });
  return {
    callsPerHour,
    open: true,
    agents,
    scheduled: scheduledStaff(agents, target.shrinkage ?? 0),
    metrics,
    missedCallsPerHour: callsPerHour * metrics.abandonmentRate,
  };
}

/**
 * The fewest agents meeting the target: service level >= target and occupancy <= the cap, by
 * search upward from the load (the answer is within a few √load of it). 0 calls need 0 agents.
 * Throws RangeError for negative or NaN calls, non-positive AHT, a service level outside [0, 1)
 * or shrinkage outside [0, 1): such targets have no answer.
 *
 * Cost: O(√A) evaluations of O(A) each, A the load in Erlangs; microseconds for a practice.
 *
 * @example
 * staffNeeded(200, { ahtSeconds: 180, targetSeconds: 20, serviceLevel: 0.8 }).agents; // 13
 */
export function staffNeeded(callsPerHour: number, target: StaffingTarget): StaffingResult {
  if (!(callsPerHour >= 0)) throw new RangeError(`calls per hour must be >= 0, got ${callsPerHour}`);
  if (!(target.ahtSeconds > 0)) throw new RangeError(`AHT must be > 0 seconds, got ${target.ahtSeconds}`);
  if (!(target.serviceLevel >= 0 && target.serviceLevel < 1)) throw new RangeError(`service level must be in [0, 1), got ${target.serviceLevel}`);
  const shrinkage = target.shrinkage ?? 0;
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError(`shrinkage must be in [0, 1), got ${shrinkage}`);
  const maxOccupancy = target.maxOccupancy ?? 1;
  if (!(maxOccupancy > 0 && maxOccupancy <= 1)) throw new RangeError(`max occupancy must be in (0, 1], got ${maxOccupancy}`);
  if (callsPerHour === 0) return staffingWhatIf(0, 0, target);
  const load = (callsPerHour * target.ahtSeconds) / 3600;
  // Fewer agents than the load can never meet a target: without patience the queue is unstable.
  let agents = Math.max(1, Math.floor(load));
  for (;;) {
    const result = staffingWhatIf(callsPerHour, agents, target);
    if (result.metrics.serviceLevel >= target.serviceLevel && result.metrics.occupancy <= maxOccupancy) return result;
    agents++;
  }
}

/**
 * Staff needed for each interval of the week (or any list of volumes, as calls per hour), e.g. the
 * 168 forecast hourly volumes from {@link expectedArrivalsByHour}. With `open`, only the intervals
 * marked open are staffed: a closed one gets 0 agents whatever its forecast, and all its calls
 * count as missed by the desk (`missedCallsPerHour` = its calls), so a caller can show them apart.
 * Empty input gives an empty plan. Cost: one {@link staffNeeded} per open interval.
 *
 * @example
 * staffingPlan([0.1, 12], { ahtSeconds: 240, targetSeconds: 20, serviceLevel: 0.8 }, [false, true]).map((r) => r.agents); // [0, 3]
 */
export function staffingPlan(callsPerHour: readonly number[], target: StaffingTarget, open?: readonly boolean[]): StaffingResult[] {
  return callsPerHour.map((calls, index) => (open && open[index] !== true ? closedInterval(calls, target) : staffNeeded(calls, target)));
}

/** A closed interval: nobody on the phones, every call unanswered by the desk. */
function closedInterval(callsPerHour: number, target: StaffingTarget): StaffingResult {
  if (!(callsPerHour >= 0)) throw new RangeError(`calls per hour must be >= 0, got ${callsPerHour}`);
  return { ...staffingWhatIf(callsPerHour, 0, target), open: false };
}

function scheduledStaff(agents: number, shrinkage: number): number {
  if (agents === 0) return 0;
  // The epsilon keeps 7 / (1 - 0.3) = 10.000000000000002 from becoming 11.
  return Math.ceil(agents / (1 - shrinkage) - 1e-9);
}
