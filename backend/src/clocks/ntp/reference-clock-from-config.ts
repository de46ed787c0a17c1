import type { AppConfig } from '../../config/environment';
import { loadNtpKey } from './auth/ntp-key-file';
import type { NtpSymmetricKey } from './auth/ntp-symmetric-key';
import { NtpDisciplinedReferenceClock } from './ntp-disciplined-reference-clock';

interface ReferenceLog {
  log(message: string): void;
  warn(message: string): void;
}

/** NTP_KEY_ID from NTP_KEY_FILE, when both are set. */
export const ntpKeyFromConfig = (config: AppConfig): NtpSymmetricKey | undefined =>
  // Validated at start (checkNtpKeySettings), so this read succeeds unless the file changed since.
  config.NTP_KEY_ID !== undefined && config.NTP_KEY_FILE !== undefined
    ? loadNtpKey(config.NTP_KEY_FILE, config.NTP_KEY_ID)
    : undefined;

/** The lab's reference clock from the validated NTP_* settings; state changes go to the log. */
export const createReferenceClockFromConfig = (config: AppConfig, logger: ReferenceLog): NtpDisciplinedReferenceClock =>
  new NtpDisciplinedReferenceClock({
    server: config.NTP_SERVER,
    timeoutMs: config.NTP_TIMEOUT_MS,
    panicThresholdMs: config.NTP_PANIC_THRESHOLD_S * 1000,
    maxChangeMs: config.NTP_MAX_CHANGE_MS,
    maxSlewPpm: config.NTP_MAX_SLEW_PPM,
    key: ntpKeyFromConfig(config),
    // The first sync's outcome is logged by the sync scheduler; what follows is holdover and the return from it.
    onStateChange: (from, status) => {
      if (status.state === 'synchronized' && from === 'holdover') {
        logger.log(
          `reference clock ${from} → synchronized (${status.source}): offset ${status.offsetMs.toFixed(3)} ms ± ${status.uncertaintyMs.toFixed(3)} ms`,
        );
      } else if (status.state === 'holdover') {
        logger.warn(
          `reference clock ${from} → holdover: keeping offset ${status.offsetMs.toFixed(3)} ms ± ${status.uncertaintyMs.toFixed(3)} ms; ${status.reason}`,
        );
      }
    },
  });
