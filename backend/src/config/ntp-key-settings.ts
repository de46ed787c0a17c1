import type { z } from 'zod';
import { loadNtpKey, NtpKeyFileError } from '../clocks/ntp/auth/ntp-key-file';

/**
 * NTP_KEY_ID and NTP_KEY_FILE go together: the key file is read and the key
 * found at start, so a wrong path, a malformed line or a missing id stops
 * the process naming the variable (never printing a secret).
 */
export const checkNtpKeySettings = (
  settings: { readonly NTP_KEY_ID?: number | undefined; readonly NTP_KEY_FILE?: string | undefined },
  context: z.RefinementCtx,
): void => {
  const { NTP_KEY_ID: keyId, NTP_KEY_FILE: keyFile } = settings;
  if (keyId === undefined && keyFile === undefined) return;
  if (keyId === undefined) {
    context.addIssue({ code: 'custom', path: ['NTP_KEY_ID'], message: 'must be set when NTP_KEY_FILE is' });
    return;
  }
  if (keyFile === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['NTP_KEY_FILE'],
      message: 'must be set when NTP_KEY_ID is (a chrony keyfile)',
    });
    return;
  }
  try {
    loadNtpKey(keyFile, keyId);
  } catch (error) {
    if (!(error instanceof NtpKeyFileError)) throw error;
    const variable = error.concerns === 'key-id' ? 'NTP_KEY_ID' : 'NTP_KEY_FILE';
    context.addIssue({ code: 'custom', path: [variable], message: error.message });
  }
};
