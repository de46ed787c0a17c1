// Arrow-key moves in the seat grid (WAI-ARIA grid pattern): pure, so the rules
// are tested without a browser. Returns the index to focus, or null when the
// key is not a grid move.

export const SEATS_PER_ROW = 10;

export function nextSeatIndex(key: string, index: number, count: number, columns = SEATS_PER_ROW): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const rowStart = index - (index % columns);
  switch (key) {
    case 'ArrowRight':
      return Math.min(index + 1, last);
    case 'ArrowLeft':
      return Math.max(index - 1, 0);
    case 'ArrowDown':
      return index + columns <= last ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return rowStart;
    case 'End':
      return Math.min(rowStart + columns - 1, last);
    case 'PageDown':
      return Math.min(index + columns * 5, last);
    case 'PageUp':
      return Math.max(index - columns * 5, 0);
    default:
      return null;
  }
}

export function rowsOf<T>(items: readonly T[], columns = SEATS_PER_ROW): T[][] {
  const rows: T[][] = [];
  for (let start = 0; start < items.length; start += columns) rows.push(items.slice(start, start + columns));
  return rows;
}
