/**
 * GoTrue's email check (`internal/api/mail.go` `validateEmail`), used wherever GoTrue uses it:
 * sign-up, `PUT /user`, the admin's create and update. The format is badoux/checkmail's
 * `ValidateFormat` at the version GoTrue pins: an RFC 5322 atom-ish local part, then host labels
 * of letters, digits and inner hyphens (a dotless host such as `localhost` passes). Nothing is
 * trimmed first; the address is stored lower-cased.
 */
import { badRequest } from './errors.ts';

const EMAIL_FORMAT = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
/** Go's `len()`: bytes, not characters. */
const MAX_EMAIL_BYTES = 255;

export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (Buffer.byteLength(email, 'utf8') > MAX_EMAIL_BYTES) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_FORMAT.test(email)) throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}
