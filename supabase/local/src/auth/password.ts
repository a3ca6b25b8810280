import bcrypt from 'bcryptjs';
import { AuthError } from './errors.ts';

/** GoTrue's default bcrypt cost. */
const BCRYPT_COST = 10;
/** The Supabase CLI default (`auth.password.min_length`). */
export const MIN_PASSWORD_LENGTH = 6;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * Checks a password against a stored hash. bcryptjs reads `$2a$`/`$2b$`/`$2y$` at any cost, which
 * covers the hashes pgcrypto's `crypt(pw, gen_salt('bf'))` writes in seed files.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null || !/^\$2[aby]\$\d{2}\$/.test(hash)) return false;
  try {
    return await bcrypt.compare(password, hash);
  } catch {
    return false;
  }
}

/** The weak-password refusal auth-js turns into an AuthWeakPasswordError. */
export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new AuthError(422, 'weak_password', `Password should be at least ${MIN_PASSWORD_LENGTH} characters.`, {
      weak_password: { reasons: ['length'] },
    });
  }
}
