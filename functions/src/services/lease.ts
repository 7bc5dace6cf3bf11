/**
 * One run at a time of a scheduled job, however long a run takes. The schedule fires every minute while a
 * run may take longer (a new month, a backlog), so each run first takes a lease in the state table
 * (a conditional write: only if absent or expired), renews it between steps, and releases it at the end.
 * A run that cannot take it returns at once; a run that finds it taken over stops before its next write.
 */
import { randomUUID } from 'node:crypto';
import { LeaseLost, type Fence, type Leases } from '../store/ports.ts';

export { LeaseLost };

export interface LeaseOptions {
  /**
   * How long the lease holds without renewal: well above a normal run (seconds), below the schedule's patience.
   * A run that dies without releasing it delays the next ones by this much at most.
   */
  ttlMs: number;
  /** The clock the lease is measured on: wall time, unless a test brings its own. */
  clock?: () => number;
}

export const DEFAULT_LEASE_TTL_MS = 5 * 60_000;

/** The leases, by job. */
export const LEASES = { scoring: 'scoring', publishing: 'publishing' } as const;
/** The metric each handler emits for a tick that found its lease held (the stale-scores alarms do not count it as a run). */
export const runsSkippedMetric = (job: keyof typeof LEASES) => ({ scoring: 'ScoringRunsSkipped', publishing: 'PublishingRunsSkipped' })[job];

export interface HeldLease {
  /** Call between steps: renews the lease once a third of it has passed; throws LeaseLost if another run holds it now. */
  keep(): Promise<void>;
  /** For writes the database refuses once another run holds the lease. */
  fence: Fence;
}

export type LeaseRun<T> = { ran: true; result: T } | { ran: false; why: 'held elsewhere' | 'lost' };

export async function withLease<T>(leases: Leases, name: string, options: LeaseOptions, work: (lease: HeldLease) => Promise<T>): Promise<LeaseRun<T>> {
  const clock = options.clock ?? Date.now;
  const owner = randomUUID();
  let renewedAt = clock();
  if (!(await leases.takeLease(name, owner, renewedAt, renewedAt + options.ttlMs))) return { ran: false, why: 'held elsewhere' };
  const lease: HeldLease = {
    fence: { lease: name, owner },
    async keep() {
      const now = clock();
      if (now - renewedAt < options.ttlMs / 3) return;
      if (!(await leases.renewLease(name, owner, now + options.ttlMs))) throw new LeaseLost(`The "${name}" lease was taken over.`);
      renewedAt = now;
    },
  };
  try {
    return { ran: true, result: await work(lease) };
  } catch (error) {
    if (error instanceof LeaseLost) return { ran: false, why: 'lost' };
    throw error;
  } finally {
    await leases.releaseLease(name, owner);
  }
}
