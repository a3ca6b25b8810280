/**
 * Mailed codes and the hashes stored for them, as GoTrue makes them (`crypto.GenerateOtp`,
 * `GenerateTokenHash`): a 6-digit code, and in the user's row only SHA-224 of address + code. The
 * link carries that hash, the mail the code; neither can be read back from the database.
 */
import { createHash, randomInt } from 'node:crypto';
import { AuthError } from './errors.ts';

export const OTP_LENGTH = 6;

export function newOtp(): string {
  return String(randomInt(0, 10 ** OTP_LENGTH)).padStart(OTP_LENGTH, '0');
}

export function tokenHash(address: string, otp: string): string {
  return createHash('sha224').update(address + otp).digest('hex');
}

export function isExpired(sentAt: Date | null, lifetimeSeconds: number): boolean {
  return sentAt === null || Date.now() > sentAt.getTime() + lifetimeSeconds * 1000;
}

/** GoTrue's `validateSentWithinFrequencyLimit`, with its wording. */
export function checkFrequency(sentAt: Date | null, seconds: number): void {
  if (sentAt === null) return;
  const leftMs = sentAt.getTime() + seconds * 1000 - Date.now();
  if (leftMs > 0) {
    throw new AuthError(429, 'over_email_send_rate_limit',
      `For security purposes, you can only request this after ${Math.floor(leftMs / 1000)} seconds.`);
  }
}
