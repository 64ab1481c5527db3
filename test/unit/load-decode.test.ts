import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/load/decode.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('decodeUtf8', () => {
  it.each([
    ['plain UTF-8', bytes('name: ø\n'), 'name: ø\n'],
    ['a UTF-8 byte order mark is dropped', bytes([0xef, 0xbb, 0xbf], 'a: 1\n'), 'a: 1\n'],
  ])('reads %s', (_, input, text) => {
    expect(decodeUtf8(input)).toEqual({ ok: true, text });
  });

  it.each([
    ['a NUL byte', bytes('a: 1\nb: x', [0], 'y\n'), 'file.nul-byte', 2, 5],
    ['invalid UTF-8 (Latin-1 ø)', bytes('a: 1\nb: ', [0xf8], '\n'), 'file.encoding', 2, 4],
    ['a truncated sequence at the end', bytes('a: ', [0xc3]), 'file.encoding', 1, 4],
    ['UTF-16 LE', bytes([0xff, 0xfe], [0x61, 0, 0x3a, 0]), 'file.encoding', 1, 1],
    ['UTF-16 BE', bytes([0xfe, 0xff], [0, 0x61, 0, 0x3a]), 'file.encoding', 1, 1],
  ])('refuses %s', (_, input, code, line, column) => {
    const result = decodeUtf8(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject({ code, line, column });
  });
});
