import type { AppConfig } from '../../config/environment';
import { ntpKeyFromConfig } from '../ntp/reference-clock-from-config';
import { RealProcessClock } from './real-process-clock';

/** CLOCK_SOURCE=real: the booking servers' own clock, measured against the same NTP_SERVER as the reference. */
export const createRealProcessClockFromConfig = (config: AppConfig): RealProcessClock =>
  new RealProcessClock({
    server: config.NTP_SERVER,
    timeoutMs: config.NTP_TIMEOUT_MS,
    panicThresholdMs: config.NTP_PANIC_THRESHOLD_S * 1000,
    key: ntpKeyFromConfig(config),
  });
