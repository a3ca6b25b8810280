import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { AuthError, badRequest, unprocessable } from './errors.ts';
import { checkPasswordStrength, hashPassword } from './password.ts';
import {
  normalizeEmail, normalizePhone, optionalBoolean, optionalObject, optionalString, readJsonObject,
} from './request.ts';
import { isUniqueViolation } from './signup.ts';
import { withTransaction } from './transaction.ts';
import { mergeMetadata } from './user.ts';
import {
  findUserByEmail, findUserById, insertUser, upsertIdentity, userJson, type JsonObject,
} from './users.ts';

const DUPLICATE_EMAIL = 'A user with this email address has already been registered';
const userNotFound = () => new AuthError(404, 'user_not_found', 'User not found');

/** `POST /admin/users` (`auth.admin.createUser`): no session, the user JSON only. */
export async function adminCreateUser(context: StackContext, req: IncomingMessage): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const rawEmail = optionalString(body, 'email') ?? '';
  const rawPhone = optionalString(body, 'phone') ?? '';
  const password = optionalString(body, 'password') ?? '';
  const emailConfirm = optionalBoolean(body, 'email_confirm') ?? false;
  const phoneConfirm = optionalBoolean(body, 'phone_confirm') ?? false;
  const userMetadata = optionalObject(body, 'user_metadata') ?? {};
  const appMetadata = optionalObject(body, 'app_metadata') ?? {};
  const role = optionalString(body, 'role');
  if (rawEmail === '' && rawPhone === '') {
    throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  }
  const email = rawEmail === '' ? null : normalizeEmail(rawEmail);
  const phone = rawPhone === '' ? null : normalizePhone(rawPhone);
  if (email !== null && (await findUserByEmail(context.pool, email))) {
    throw unprocessable('email_exists', DUPLICATE_EMAIL);
  }
  if (password !== '') checkPasswordStrength(password);
  const provider = email !== null ? 'email' : 'phone';
  const passwordHash = password === '' ? null : await hashPassword(password);
  try {
    const user = await withTransaction(context.pool, (db) => insertUser(db, {
      email,
      phone,
      passwordHash,
      confirmed: email !== null ? emailConfirm : phoneConfirm,
      appMetadata: { provider, providers: [provider], ...appMetadata },
      userMetadata,
      isAnonymous: false,
      ...(role ? { role } : {}),
    }));
    return await userJson(context.pool, user);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw unprocessable(email !== null ? 'email_exists' : 'phone_exists', email !== null
        ? DUPLICATE_EMAIL
        : 'A user with this phone number has already been registered');
    }
    throw error;
  }
}

export async function adminGetUser(context: StackContext, id: string): Promise<JsonObject> {
  const user = await findUserById(context.pool, id);
  if (!user) throw userNotFound();
  return userJson(context.pool, user);
}

/** Hard delete; sessions, refresh tokens and identities cascade. */
export async function adminDeleteUser(context: StackContext, id: string): Promise<JsonObject> {
  const user = await findUserById(context.pool, id);
  if (!user) throw userNotFound();
  await context.pool.query('delete from auth.users where id = $1', [id]);
  return {};
}

/** `GET /admin/users?page=&per_page=` (`auth.admin.listUsers`). */
export async function adminListUsers(context: StackContext, url: URL): Promise<{ body: JsonObject; total: number }> {
  const page = positiveInt(url.searchParams.get('page'), 1);
  const perPage = Math.min(positiveInt(url.searchParams.get('per_page'), 50), 1000);
  const { rows } = await context.pool.query<{ id: string }>(
    'select id from auth.users order by created_at desc, id limit $1 offset $2',
    [perPage, (page - 1) * perPage],
  );
  const { rows: count } = await context.pool.query<{ total: string }>('select count(*) as total from auth.users');
  const users: JsonObject[] = [];
  for (const { id } of rows) {
    const user = await findUserById(context.pool, id);
    if (user) users.push(await userJson(context.pool, user));
  }
  return { body: { users, aud: 'authenticated' }, total: Number(count[0]?.total ?? 0) };
}

function positiveInt(raw: string | null, fallback: number): number {
  const value = raw === null ? NaN : Number.parseInt(raw, 10);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * `PUT /admin/users/<id>` (`auth.admin.updateUserById`): metadata merges like GoTrue's, password
 * and email are replaced without any mail; `email_confirm: true` confirms the address.
 */
export async function adminUpdateUser(context: StackContext, req: IncomingMessage, id: string): Promise<JsonObject> {
  const user = await findUserById(context.pool, id);
  if (!user) throw userNotFound();
  const body = await readJsonObject(req);
  const rawEmail = optionalString(body, 'email') ?? '';
  const password = optionalString(body, 'password') ?? '';
  const emailConfirm = optionalBoolean(body, 'email_confirm');
  const userMetadata = optionalObject(body, 'user_metadata');
  const appMetadata = optionalObject(body, 'app_metadata');
  const email = rawEmail === '' ? null : normalizeEmail(rawEmail);
  if (email !== null && email !== user.email) {
    const holder = await findUserByEmail(context.pool, email);
    if (holder && holder.id !== id) throw unprocessable('email_exists', DUPLICATE_EMAIL);
  }
  if (password !== '') checkPasswordStrength(password);
  const passwordHash = password === '' ? null : await hashPassword(password);
  try {
    await withTransaction(context.pool, async (db) => {
      await db.query(
        `update auth.users set
           raw_user_meta_data = coalesce($2, raw_user_meta_data),
           raw_app_meta_data = coalesce($3, raw_app_meta_data),
           encrypted_password = coalesce($4, encrypted_password),
           email = coalesce($5, email),
           email_confirmed_at = case when $6::boolean then coalesce(email_confirmed_at, now()) else email_confirmed_at end,
           updated_at = now()
         where id = $1`,
        [
          id,
          userMetadata === undefined ? null : mergeMetadata(user.raw_user_meta_data, userMetadata),
          appMetadata === undefined ? null : mergeMetadata(user.raw_app_meta_data, appMetadata),
          passwordHash,
          email,
          emailConfirm === true,
        ],
      );
      const updated = await findUserById(db, id);
      if (email !== null && updated?.email) {
        await upsertIdentity(db, id, 'email', { email: updated.email, email_verified: updated.email_confirmed_at !== null });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
    throw error;
  }
  return adminGetUser(context, id);
}
