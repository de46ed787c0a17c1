import { nextSeatIndex, rowsOf } from './grid-navigation';

describe('seat grid keyboard moves (10 seats a row, 25 seats)', () => {
  it.each([
    ['ArrowRight', 0, 1],
    ['ArrowRight', 24, 24],
    ['ArrowLeft', 0, 0],
    ['ArrowLeft', 10, 9],
    ['ArrowDown', 3, 13],
    ['ArrowDown', 17, 17],
    ['ArrowUp', 13, 3],
    ['ArrowUp', 3, 3],
    ['Home', 14, 10],
    ['End', 14, 19],
    ['End', 21, 24],
    ['PageDown', 2, 24],
    ['PageUp', 24, 0],
  ])('%s from %i goes to %i', (key, from, to) => {
    expect(nextSeatIndex(key, from, 25)).toBe(to);
  });

  it('ignores keys that are not moves', () => {
    expect(nextSeatIndex('Enter', 3, 25)).toBeNull();
    expect(nextSeatIndex('ArrowRight', 0, 0)).toBeNull();
  });

  it('cuts seats into rows', () => {
    expect(rowsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
