/** Turns offsets into the 1-based line and column that editors and GitHub annotations use. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/**
 * Offsets of line starts are computed on first use only: most files have no diagnostic, and the
 * benchmark holds validation to twice the cost of parsing.
 */
export function lineIndex(text: string): (offset: number) => LineColumn {
  let starts: number[] | undefined;
  return (offset) => {
    starts ??= lineStarts(text);
    const at = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: at - starts[low]! + 1 };
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
