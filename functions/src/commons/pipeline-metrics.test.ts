import { describe, expect, it } from 'vitest';
import { scorerLagSeconds } from './pipeline-metrics.ts';

describe('scorer lag', () => {
  it('is the age of the oldest waiting dirty note, in whole seconds; 0 when none waits', () => {
    const now = Date.parse('2026-12-06T05:00:00Z');
    expect(scorerLagSeconds([], now)).toBe(0);
    expect(scorerLagSeconds([now - 5_000, now - 125_400, now - 60_000], now)).toBe(125);
    // a note stamped by a clock slightly ahead is no negative lag
    expect(scorerLagSeconds([now + 2_000], now)).toBe(0);
  });
});
