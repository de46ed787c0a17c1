/** Injection tokens of the reservation module's ports. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const BOOKING_SERVER_CLOCKS = Symbol('BOOKING_SERVER_CLOCKS');
export const REFERENCE_CLOCK = Symbol('REFERENCE_CLOCK');
export const READ_MODEL_DATA_SOURCE = Symbol('READ_MODEL_DATA_SOURCE');
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');
export const POSTGRES_CONNECTION = Symbol('POSTGRES_CONNECTION');
