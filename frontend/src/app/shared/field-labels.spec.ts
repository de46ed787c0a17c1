import { plainMessage } from './field-labels';

describe('plainMessage', () => {
  it.each([
    ['seat_id must be at least 1', 'Seat must be at least 1'],
    ['customer_name should not be empty', 'Customer name should not be empty'],
    ['seats × attempts_per_seat must be at most 200000', 'Seats × Attempts per seat must be at most 200000'],
    ['store is busy', 'Store is busy'],
    ['seat 7 does not exist (seats are 1..100)', 'Seat 7 does not exist (seats are 1..100)'],
  ])('%j → %j', (message, plain) => {
    expect(plainMessage(message)).toBe(plain);
  });
});
