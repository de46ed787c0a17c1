/** Defaults of the reference clock's NTP settings (NTP_PANIC_THRESHOLD_S, NTP_MAX_CHANGE_MS, NTP_MAX_SLEW_PPM). */

/** ntpd's `tinker panic` default: an offset beyond it from the host clock is a lie, not a correction. */
export const DEFAULT_PANIC_THRESHOLD_S = 1000;
/** Beyond the held offset's uncertainty; a lab reference wrong by a second is already a broken one. */
export const DEFAULT_MAX_CHANGE_MS = 1000;
/** ntpd's slew limit (500 µs per second). */
export const DEFAULT_MAX_SLEW_PPM = 500;
