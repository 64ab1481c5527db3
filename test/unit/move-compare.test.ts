/** The checks a move makes before it switches: pure, on two censuses. */
import { describe, expect, it } from 'vitest';
import { compareCensus } from '../../src/move/compare.js';

const census = (sizeBytes: number, rows: Record<string, number>) => ({ sizeBytes, rows: new Map(Object.entries(rows)) });

describe('compareCensus', () => {
  it('passes when every table has the same rows, and totals them', () => {
    const result = compareCensus(census(100, { 'public.a': 3, 'sales.b': 4 }), census(90, { 'public.a': 3, 'sales.b': 4 }));
    expect(result).toMatchObject({ ok: true, tables: 2, rows: 7, problems: [] });
    expect(result.sizeWarning).toBeUndefined();
  });

  it('names every difference', () => {
    const result = compareCensus(census(100, { 'public.a': 3, 'public.gone': 1 }), census(100, { 'public.a': 2, 'public.extra': 0 }));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'public.a has 2 rows in the copy, 3 in the source',
      'public.gone is missing from the copy',
      'public.extra is in the copy but not in the source',
    ]);
  });

  it('warns, without failing, when the sizes are far apart', () => {
    const result = compareCensus(census(1000, {}), census(300, {}));
    expect(result.ok).toBe(true);
    expect(result.sizeWarning).toContain('30% of the source');
  });
});
