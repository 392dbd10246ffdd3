/**
 * Queueing formulas for a phone line: Erlang B/C (callers wait forever) and Erlang A
 * (M/M/N+M: callers hang up after an exponential patience, which is what a missed call is).
 * Everything is computed by recurrences or in log space, so there is no factorial and no overflow
 * at any load; 0 calls/hour gives a perfect service level with nobody busy.
 */

/** What callers experience with a given number of agents. */
export interface QueueMetrics {
  /** Agents on the phones. */
  agents: number;
  /** Offered load in Erlangs: calls/hour × AHT / 3600. */
  load: number;
  /** Share of offered calls answered within the target time (abandoned calls count as not). */
  serviceLevel: number;
  /** Share of callers who find every agent busy and must wait. */
  waitingProbability: number;
  /** Average wait in seconds over all callers (ASA; Infinity when Erlang C is overloaded). */
  averageSpeedOfAnswer: number;
  /** Share of agents' time spent handling calls. */
  occupancy: number;
  /** Share of callers never answered: those who hang up (Erlang A); without patience (Erlang C) 0
   * while the agents keep up, and the calls beyond their capacity, 1 − agents/load, when they do not
   * (all of them with 0 agents). */
  abandonmentRate: number;
}

/** A queue to evaluate: arrivals, handle time, agents, the service-level target. */
export interface QueueInput {
  callsPerHour: number;
  ahtSeconds: number;
  agents: number;
  targetSeconds: number;
  /** Mean patience in seconds; omit (or Infinity) for Erlang C. */
  patienceSeconds?: number;
}

/**
 * Erlang B blocking probability for `servers` servers and `load` Erlangs, by the stable
 * recurrence B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)). Cost: O(servers).
 * Returns 1 for 0 servers (with load > 0), 0 for load 0, NaN for negative or NaN input.
 *
 * @example
 * erlangB(5, 3); // 0.1101...
 */
export function erlangB(servers: number, load: number): number {
  if (!(servers >= 0 && load >= 0)) return Number.NaN;
  if (load === 0) return 0;
  let b = 1;
  for (let n = 1; n <= servers; n++) b = (load * b) / (n + load * b);
  return b;
}

/**
 * Erlang C: the probability an arriving caller has to wait, C = N·B / (N − A(1 − B)).
 * Returns 1 when servers <= load (the queue grows without bound), 0 for load 0.
 * Cost: O(servers).
 *
 * @example
 * erlangC(4, 2); // 0.1739...
 */
export function erlangC(servers: number, load: number): number {
  if (!(servers >= 0 && load >= 0)) return Number.NaN;
  if (load === 0) return 0;
  if (servers <= load) return 1;
  const b = erlangB(servers, load);
  return (servers * b) / (servers - load * (1 - b));
}

/**
 * Queue metrics with infinitely patient callers (Erlang C): SL = 1 − C·e^(−(N−A)·T/AHT),
 * ASA = C·AHT/(N − A), occupancy = A/N. Overloaded (N <= A): SL 0, ASA Infinity, occupancy 1 (0 with
 * no agents) and the share 1 − N/A never answered (every call with 0 agents).
 * Cost: O(agents).
 * No calls (callsPerHour 0): service level 1, every other figure 0.
 *
 * @example
 * erlangCMetrics({ callsPerHour: 100, ahtSeconds: 180, agents: 7, targetSeconds: 20 }).serviceLevel; // 0.855...
 */
export function erlangCMetrics(input: QueueInput): QueueMetrics {
  const { callsPerHour, ahtSeconds, agents, targetSeconds } = input;
  const load = (callsPerHour * ahtSeconds) / 3600;
  if (load === 0) return idle(agents);
  if (agents <= load) {
    // The queue grows without end, so Erlang C has no steady state. What can be said: N agents carry
    // at most N Erlangs, so at least the share 1 − N/A of callers is never answered (Erlang A's limit
    // as patience grows). With nobody on the phones that is every caller.
    return {
      agents,
      load,
      serviceLevel: 0,
      waitingProbability: 1,
      averageSpeedOfAnswer: Infinity,
      occupancy: agents === 0 ? 0 : 1,
      abandonmentRate: 1 - agents / load,
    };
  }
  const c = erlangC(agents, load);
  return {
    agents,
    load,
    serviceLevel: 1 - c * Math.exp((-(agents - load) * targetSeconds) / ahtSeconds),
    waitingProbability: c,
    averageSpeedOfAnswer: (c * ahtSeconds) / (agents - load),
    occupancy: load / agents,
    abandonmentRate: 0,
  };
}

/**
 * Queue metrics when callers hang up after an exponential patience (Erlang A, M/M/N+M). The
 * birth-death chain's stationary law is summed in log space (truncated where the tail is below
 * 1e-15 of the peak); abandonment = θ·E[queue]/λ; ASA = E[queue]/λ (Little, over all callers);
 * occupancy = answered load / N; the service level follows a tagged caller through the queue
 * (uniformised Markov chain) and counts the chance of an answer within T before hanging up.
 * Always stable, even with 0 agents. Without patience it is {@link erlangCMetrics}.
 *
 * Cost: O(states × jumps), states ≈ N + queue tail, jumps ≈ Λ·T; well under 1 ms for a practice.
 * No calls (callsPerHour 0): service level 1, every other figure 0.
 *
 * @example
 * erlangAMetrics({ callsPerHour: 100, ahtSeconds: 180, agents: 5, targetSeconds: 20, patienceSeconds: 60 }).abandonmentRate; // ≈ 0.10
 */
export function erlangAMetrics(input: QueueInput): QueueMetrics {
  const { callsPerHour, ahtSeconds, agents, targetSeconds, patienceSeconds } = input;
  if (patienceSeconds === undefined || !Number.isFinite(patienceSeconds)) return erlangCMetrics(input);
  const load = (callsPerHour * ahtSeconds) / 3600;
  if (load === 0) return idle(agents);
  // Nobody to answer: every caller waits out their patience and hangs up (exactly, not 1 − ε).
  if (agents === 0) {
    return { agents, load, serviceLevel: 0, waitingProbability: 1, averageSpeedOfAnswer: patienceSeconds, occupancy: 0, abandonmentRate: 1 };
  }
  const lambda = callsPerHour / 3600;
  const mu = 1 / ahtSeconds;
  const theta = 1 / Math.max(patienceSeconds, 1e-9);

  // log of the unnormalised stationary probability of j callers in the system
  const logWeights: number[] = [0];
  for (let j = 1; j <= agents; j++) logWeights.push((logWeights[j - 1] as number) + Math.log(load / j));
  let peak = Math.max(...logWeights);
  for (let i = 1; ; i++) {
    const ratio = lambda / (agents * mu + i * theta);
    const next = (logWeights[agents + i - 1] as number) + Math.log(ratio);
    logWeights.push(next);
    peak = Math.max(peak, next);
    if (ratio < 1 && next < peak - 35) break; // e^-35 ≈ 6e-16 and falling geometrically
  }
  const probability = logWeights.map((w) => Math.exp(w - peak));
  const total = probability.reduce((s, p) => s + p, 0);
  for (let j = 0; j < probability.length; j++) probability[j] = (probability[j] as number) / total;

  let waiting = 0;
  let queueLength = 0;
  for (let j = agents; j < probability.length; j++) {
    waiting += probability[j] as number;
    queueLength += (j - agents) * (probability[j] as number);
  }
  const abandonmentRate = (theta * queueLength) / lambda;
  const answeredImmediately = 1 - waiting;
  return {
    agents,
    load,
    serviceLevel: answeredImmediately + answeredWithin(probability.slice(agents), agents * mu, theta, targetSeconds),
    waitingProbability: waiting,
    averageSpeedOfAnswer: queueLength / lambda,
    occupancy: agents === 0 ? 0 : Math.min(1, (load * (1 - abandonmentRate)) / agents),
    abandonmentRate,
  };
}

/**
 * Mass of callers answered within `target` seconds, for callers who arrive to find
 * `arrivalMass[k]` = P(k callers already queued) with all agents busy. From queue position i
 * the line moves at rate serviceRate + (i − 1)·θ, while the caller hangs up at rate θ.
 * Uniformisation at rate Λ = max move rate + θ; Poisson jump weights in log space.
 */
function answeredWithin(arrivalMass: readonly number[], serviceRate: number, theta: number, target: number): number {
  if (serviceRate === 0 || target <= 0) return 0;
  const positions = arrivalMass.length;
  const uniformRate = serviceRate + positions * theta;
  const meanJumps = uniformRate * target;
  // mass[i] = mass at queue position i + 1 (0 = next to be answered)
  let mass = Float64Array.from(arrivalMass);
  let next = new Float64Array(positions);
  let answered = 0; // mass answered after the jumps taken so far
  let result = 0;
  const logMean = Math.log(meanJumps);
  let logPoisson = -meanJumps; // log P(n jumps by the target)
  let cumulative = 0;
  const maxJumps = Math.ceil(meanJumps + 12 * Math.sqrt(meanJumps) + 30);
  for (let n = 0; n <= maxJumps; n++) {
    // Jumps that happened by time T: weight answered-so-far by P(exactly n jumps)... accumulate via the tail.
    const weight = Math.exp(logPoisson);
    cumulative += weight;
    result += weight * answered;
    next.fill(0);
    for (let i = 0; i < positions; i++) {
      const m = mass[i] as number;
      if (m === 0) continue;
      const moveRate = serviceRate + i * theta;
      const move = (m * moveRate) / uniformRate;
      const stay = (m * (uniformRate - moveRate - theta)) / uniformRate;
      if (i === 0) answered += move;
      else next[i - 1] = (next[i - 1] as number) + move;
      next[i] = (next[i] as number) + stay;
    }
    [mass, next] = [next, mass];
    logPoisson += logMean - Math.log(n + 1);
  }
  return result + (1 - cumulative) * answered;
}

function idle(agents: number): QueueMetrics {
  return { agents, load: 0, serviceLevel: 1, waitingProbability: 0, averageSpeedOfAnswer: 0, occupancy: 0, abandonmentRate: 0 };
}
