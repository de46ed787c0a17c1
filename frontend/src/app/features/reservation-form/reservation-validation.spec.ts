import { validateReservation } from './reservation-validation';

const rules = { maxSeat: 100, serverIds: ['server-1', 'server-2'] };
const valid = { customerName: 'Ana', seatId: '7', serverId: 'server-1' };

describe('validateReservation mirrors the API rules', () => {
  it('accepts a valid draft', () => {
    expect(validateReservation(valid, rules)).toEqual({});
  });

  it.each([
    ['', 'customer_name is required'],
    ['   ', 'customer_name is required'],
    ['x'.repeat(101), 'customer_name must be at most 100 characters'],
  ])('customer name %j → %s', (customerName, message) => {
    expect(validateReservation({ ...valid, customerName }, rules).customer_name).toBe(message);
  });

  it('accepts exactly 100 characters', () => {
    expect(validateReservation({ ...valid, customerName: 'x'.repeat(100) }, rules)).toEqual({});
  });

  it.each([
    ['', 'seat_id is required'],
    ['1.5', 'seat_id must be an integer'],
    ['abc', 'seat_id must be an integer'],
    ['0', 'seat_id must be between 1 and 100'],
    ['101', 'seat_id must be between 1 and 100'],
  ])('seat %j → %s', (seatId, message) => {
    expect(validateReservation({ ...valid, seatId }, rules).seat_id).toBe(message);
  });

  it('accepts the bounds 1 and max', () => {
    expect(validateReservation({ ...valid, seatId: '1' }, rules)).toEqual({});
    expect(validateReservation({ ...valid, seatId: '100' }, rules)).toEqual({});
  });

  it('requires a known booking server', () => {
    expect(validateReservation({ ...valid, serverId: 'server-9' }, rules).server_id).toMatch(/booking servers/);
  });
});
