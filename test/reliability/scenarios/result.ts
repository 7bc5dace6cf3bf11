/**
 * What every reliability scenario returns: its figures and every broken expectation. A scenario asserts
 * nothing itself; its test (small) expects no problems and no mismatches, and `npm run reliability`
 * (larger) prints the same figures and writes them to RELIABILITY.md.
 */
import type { SendSummary } from '../../../scripts/lib/ingest-client.ts';
import type { Verdict } from '../../support/verify.ts';

export interface Figures {
  /** distinct records sent (their latest copies are what the scores must reflect) */
  records: number;
  /** records sent, counting every duplicate, later copy and resend */
  sends: number;
  /** HTTP requests to the API, retries included */
  requests: number;
  /** requests the client retried (network error, 429, 5xx) */
  retries: number;
  crashesSurvived: number;
  fuzzCases: number;
  /** responses with a 5xx status */
  status5xx: number;
  /** records found in the table that are invalid, out of scope or not what was sent */
  invalidStored: number;
  /** published unit scores compared (snapshot and read API) */
  scoresCompared: number;
  mismatchesRecompute: number;
  mismatchesCount: number;
  elapsedMs: number;
  /** what only this scenario measures, e.g. faults injected */
  detail: Record<string, number | string>;
}

export interface ScenarioResult {
  scenario: string;
  figures: Figures;
  /** every broken expectation in words; [] when the scenario holds */
  problems: string[];
}

export type Log = (line: string) => void;

/** A scenario's sizes: the test's (small, in `npm test`) and the script's at a scale (1 by default). */
export interface Sizes<T> {
  test: T;
  bench: (scale: number) => T;
}

export const noFigures = (): Figures => ({
  records: 0, sends: 0, requests: 0, retries: 0, crashesSurvived: 0, fuzzCases: 0, status5xx: 0, invalidStored: 0,
  scoresCompared: 0, mismatchesRecompute: 0, mismatchesCount: 0, elapsedMs: 0, detail: {},
});

/** Starts a result: zeros everywhere, the clock running. */
export function begin(scenario: string) {
  const started = performance.now();
  const figures = noFigures();
  const problems: string[] = [];
  return {
    figures,
    problems,
    /** Records a broken expectation (the first 20 are kept in words). */
    problem(text: string) {
      if (problems.length < 20) problems.push(text);
      else if (problems.length === 20) problems.push('… more problems left out');
    },
    /** Takes in what the ingest client reports for records it sent in batches of `batchSize`; nothing sent may be rejected. */
    sent(summary: SendSummary, batchSize: number) {
      figures.sends += summary.sent;
      figures.retries += summary.retries;
      figures.requests += Math.ceil(summary.sent / batchSize) + summary.retries;
      if (summary.rejected.length > 0) this.problem(`rejected: ${JSON.stringify(summary.rejected.slice(0, 3))}`);
    },
    /** Takes in how the scenario ended: published vs recompute vs independent count. */
    verdict(verdict: Verdict) {
      figures.scoresCompared += verdict.scoresCompared;
      figures.mismatchesRecompute += verdict.mismatchesRecompute;
      figures.mismatchesCount += verdict.mismatchesCount;
      for (const text of verdict.problems) this.problem(text);
    },
    end(): ScenarioResult {
      figures.elapsedMs = Math.round(performance.now() - started);
      return { scenario, figures, problems };
    },
  };
}

/** One line for a test's output: the figures that are not zero. */
export function summary(result: ScenarioResult): string {
  const { detail, elapsedMs, ...main } = result.figures;
  // Mismatches are shown (0 included) whenever published scores were compared.
  const shown = (key: string, value: number) => value !== 0 || (key.startsWith('mismatches') && main.scoresCompared > 0);
  const parts = [...Object.entries(main).filter(([key, value]) => shown(key, value)), ...Object.entries(detail)];
  return `${result.scenario}: ${parts.map(([key, value]) => `${key} ${typeof value === 'number' ? value.toLocaleString('en') : value}`).join(', ')}, ${(elapsedMs / 1000).toFixed(1)} s`;
}
