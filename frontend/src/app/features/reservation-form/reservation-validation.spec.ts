import { validateReservation } from './reservation-validation';

const rules = { maxSeat: 100, serverIds: ['server-1', 'server-2'] };
const valid = { customerName: 'Ana', seatId: '7', serverId: 'server-1' };

describe('validateReservation mirrors the API rules', () => {
  it('accepts a valid draft', () => {
    expect(validateReservation(valid, rules)).toEqual({});
  });

  it.each([
    ['', 'Customer name is required'],
    ['   ', 'Customer name is required'],
    ['x'.repeat(101), 'Customer name must be at most 100 characters'],
  ])('customer name %j → %s', (customerName, message) => {
    expect(validateReservation({ ...valid, customerName }, rules).customer_name).toBe(message);
  });

  it('accepts exactly 100 characters', () => {
    expect(validateReservation({ ...valid, customerName: 'x'.repeat(100) }, rules)).toEqual({});
  });

  it.each([
    ['', 'Seat is required'],
    ['1.5', 'Seat must be a whole number'],
    ['abc', 'Seat must be a whole number'],
    ['0', 'Seat must be between 1 and 100'],
    ['101', 'Seat must be between 1 and 100'],
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
