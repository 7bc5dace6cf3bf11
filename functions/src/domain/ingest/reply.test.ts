import { describe, expect, it } from 'vitest';
import { MAX_LISTED, boundedReply } from './reply.ts';

const rejection = (index: number, errors: number, width = 200) => ({
  index, type: 'dossier' as const, id: `đ${'x'.repeat(198)}`,
  errors: Array.from({ length: errors }, (_, i) => ({ field: `${'f'.repeat(width)}${i}`, message: `${'m'.repeat(width)} "quoted" ✓` })),
});
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('boundedReply', () => {
  it('leaves a reply within the counts as it is', () => {
    const reply = { accepted: 5, unchanged: 1, rejected: [rejection(0, 3, 10)], pending: [{ index: 1, id: 'd', field: 'procedureId' }] };
    expect(boundedReply(reply)).toEqual(reply);
  });

  it('lists the first 1,000 rejected and pending records and counts the rest', () => {
    const reply = boundedReply({
      accepted: 0, unchanged: 0,
      rejected: Array.from({ length: 2_500 }, (_, i) => rejection(i, 1, 10)),
      pending: Array.from({ length: 1_200 }, (_, i) => ({ index: i, id: `d${i}`, field: 'procedureId' })),
    });
    expect(reply.rejected).toHaveLength(MAX_LISTED);
    expect(reply.pending).toHaveLength(MAX_LISTED);
    expect(reply.omitted).toEqual({ rejected: 1_500, pending: 200, message: expect.stringMatching(/1500 more were rejected and 200 more are pending/) });
  });

  it('stays far under Lambda’s 6 MB even for 10,000 records of 10,000 long errors each', () => {
    const reply = boundedReply({ accepted: 0, unchanged: 0, rejected: Array.from({ length: 10_000 }, (_, i) => rejection(i, i < 3 ? 10_000 : 40)), pending: [] });
    expect(bytes(reply)).toBeLessThan(5 * 1024 * 1024);
    expect(reply.rejected[0].errors.at(-1)).toEqual({ field: '(record)', message: expect.stringMatching(/^… and \d+ more errors$/) });
    expect(bytes(reply.rejected[0].errors)).toBeLessThan(3_500);
  });
});
