/**
 * Names of the metrics the handlers emit (Powertools, EMF) that the dashboard and alarms read
 * (infra/lib/observability-stack.ts): one place, so a renamed metric cannot leave a graph empty.
 * Namespace `BanDoTheChe`, dimension `service` = METRICS_SERVICE (commons/runtime.ts `metrics`).
 */
export const METRICS_SERVICE = 'ban-do-the-che';

export const PIPELINE_METRICS = {
  /** Ingest: records stored by a request (new, or a later copy). */
  recordsAccepted: 'RecordsAccepted',
  /** Ingest: records refused with their errors (omitted ones included). */
  recordsRejected: 'RecordsRejected',
  /** Ingest: resends of the stored copy (nothing written). */
  recordsUnchanged: 'RecordsUnchanged',
  /**
   * After each publishing run: seconds the oldest accepted write not yet scored has waited (0 when none
   * waits). What was accepted is public within about a minute of being scored, so this is the lag from
   * accepted to published, give or take the publisher's minute.
   */
  scorerLagSeconds: 'ScorerLagSeconds',
  /** After each publishing run: accepted writes and queued periods not yet published (as /api/v1/status `pending`). */
  pendingWrites: 'PendingWrites',
} as const;

/** The scorer's lag from the dirty notes still waiting (when each was written): the oldest one's age, 0 when none waits. */
export function scorerLagSeconds(markedAtMs: number[], nowMs: number): number {
  if (markedAtMs.length === 0) return 0;
  const oldest = markedAtMs.reduce((a, b) => Math.min(a, b));
  return Math.max(0, Math.round((nowMs - oldest) / 1000));
}
