/**
 * Bytes to text, refusing what YAML tools disagree about: NUL bytes, invalid UTF-8 and UTF-16.
 * Pure: the caller has already read the bytes.
 */
import type { LineColumn } from './source-text.js';
import { lineIndex } from './source-text.js';

export interface DecodeProblem extends LineColumn {
  readonly code: 'file.nul-byte' | 'file.encoding';
  readonly message: string;
  readonly hint: string;
}

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: DecodeProblem };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const SAVE_AS_UTF8 = 'save the file as UTF-8 (without a byte order mark is best)';

export function decodeUtf8(bytes: Uint8Array): Decoded {
  // UTF-16 text is full of NUL bytes; say what it is rather than "NUL byte at 1:2".
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail('file.encoding', 'the file is UTF-16 encoded; platon-db reads UTF-8 only', 0, '', SAVE_AS_UTF8);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    return fail('file.encoding', `the file is not valid UTF-8 (byte 0x${hex(bytes[at])} at offset ${at})`, prefix.length, prefix, SAVE_AS_UTF8);
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    return fail('file.nul-byte', 'the file contains a NUL byte, so it is binary, not YAML', nul, text, 'remove the NUL byte (was the file saved by a binary tool?)');
  }
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  return { ok: true, text: hasBom ? text.slice(1) : text };
}

function fail(code: DecodeProblem['code'], message: string, offset: number, text: string, hint: string): Decoded {
  return { ok: false, problem: { code, message, hint, ...lineIndex(text)(offset) } };
}

const hex = (byte: number | undefined) => (byte ?? 0).toString(16).padStart(2, '0');

/** Offset of the first byte that does not continue a well-formed UTF-8 sequence (error path only). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // Streaming one byte at a time buffers an incomplete sequence and throws at the byte that breaks it.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return brokenSequenceStart(bytes, i);
    }
  }
  // A character cut off by the end of the file: point at its first byte.
  let at = bytes.length - 1;
  while (at > 0 && bytes.length - at < 4 && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/**
 * The decoder fails at the byte that breaks a sequence. When that byte could start a character of
 * its own (ASCII or a lead byte), the broken character began at the lead byte before it: Latin-1
 * `Ø` then a newline fails at the newline, but the problem is the `Ø`.
 */
function brokenSequenceStart(bytes: Uint8Array, failedAt: number): number {
  const byte = bytes[failedAt]!;
  if (byte >= 0x80 && (byte < 0xc0 || byte >= 0xf8)) return failedAt;
  for (let j = failedAt - 1; j >= Math.max(0, failedAt - 3); j--) if (bytes[j]! >= 0xc0) return j;
  return failedAt;
}
