import { createHmac, randomUUID } from 'node:crypto';

/** A new random pupil id: the only key analysis data carries. It says nothing about the pupil. */
export function newPupilId(): string {
  return randomUUID();
}

/**
 * The id an app sees for a pupil: HMAC-SHA256(app key, pupil id), shaped as a UUID. Stable for one app,
 * and two apps with different keys get unrelated ids for the same pupil, so they cannot join their data.
 */
export function pairwisePupilId(appKey: Buffer, pupilId: string): string {
  const hex = createHmac('sha256', appKey).update(`haven-pairwise\u0000${pupilId}`, 'utf8').digest('hex');
  // Version-8 ("custom") UUID layout (RFC 9562 §5.8): set the version and variant bits.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
