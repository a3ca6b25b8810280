import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { AuthError, badRequest, unprocessable } from './errors.ts';
import { validateEmail } from './email.ts';
import { checkPasswordStrength, hashPassword } from './password.ts';
import {
  normalizePhone, optionalBoolean, optionalObject, optionalString, readJsonObject,
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
  const email = rawEmail === '' ? null : validateEmail(rawEmail);
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

/** GoTrue's page size when none is asked for (`pagination.go`), and pop's for `per_page=0`. */
const DEFAULT_PER_PAGE = 50n;
const POP_PER_PAGE = 20n;
/** The stand-in's own bound on one answer; GoTrue has none. */
const MAX_PER_PAGE = 1000n;
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

export interface UserPage {
  readonly body: JsonObject;
  readonly headers: Record<string, string>;
}

/**
 * `GET /admin/users?page=&per_page=` (`auth.admin.listUsers`), paged as GoTrue pages it: the numbers
 * are read with Go's `strconv.ParseUint` (a sign, space or fraction is a 400), 0 falls back to pop's
 * defaults, and the answer carries `X-Total-Count` and the `Link` header auth-js reads its pages from.
 */
export async function adminListUsers(context: StackContext, url: URL, path: string): Promise<UserPage> {
  const page = pageParameter(url, 'page') ?? 1n;
  const perPage = pageParameter(url, 'per_page') ?? DEFAULT_PER_PAGE;
  // pop's Paginate takes Go ints: values past int64 wrap negative, and below 1 it uses its defaults.
  const effectivePage = page < 1n || page > MAX_INT64 ? 1n : page;
  const effectivePerPage = perPage < 1n || perPage > MAX_INT64 ? POP_PER_PAGE : perPage;
  const limit = effectivePerPage < MAX_PER_PAGE ? effectivePerPage : MAX_PER_PAGE;
  const offset = (effectivePage - 1n) * effectivePerPage;
  const { rows: count } = await context.pool.query<{ total: string }>('select count(*) as total from auth.users');
  const total = BigInt(count[0]?.total ?? 0);
  const users: JsonObject[] = [];
  if (offset < total) {
    const { rows } = await context.pool.query<{ id: string }>(
      'select id from auth.users order by created_at desc, id limit $1 offset $2',
      [limit.toString(), offset.toString()],
    );
    for (const { id } of rows) {
      const user = await findUserById(context.pool, id);
      if (user) users.push(await userJson(context.pool, user));
    }
  }
  return {
    body: { users, aud: 'authenticated' },
    headers: { 'x-total-count': total.toString(), link: paginationLinks(url, path, page, effectivePerPage, total) },
  };
}

/** A page number as Go's `strconv.ParseUint(s, 10, 64)` reads it; null when absent or empty. */
function pageParameter(url: URL, name: string): bigint | null {
  const raw = url.searchParams.get(name) ?? '';
  if (raw === '') return null;
  const failure = !/^[0-9]+$/.test(raw) ? 'invalid syntax' : BigInt(raw) > MAX_UINT64 ? 'value out of range' : null;
  if (failure !== null) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(raw)}: ${failure}`);
  }
  return BigInt(raw);
}

/** GoTrue's `addPaginationHeaders`: `next` while pages remain, always `last`, on the path it serves. */
function paginationLinks(url: URL, path: string, page: bigint, perPage: bigint, total: bigint): string {
  const totalPages = total / perPage + (total % perPage > 0n ? 1n : 0n);
  const at = (n: bigint) => `<${path}?${goQueryString(url.searchParams, n)}>`;
  return `${totalPages > page ? `${at(page + 1n)}; rel="next", ` : ''}${at(totalPages)}; rel="last"`;
}

/** Go's `url.Values.Encode` after `Set("page", …)`: keys sorted, escaped as `url.QueryEscape` does. */
function goQueryString(params: URLSearchParams, page: bigint): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) values.set(key, [...(values.get(key) ?? []), value]);
  values.set('page', [page.toString()]);
  const escape = (text: string) => encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
  return [...values.keys()].sort().flatMap((key) => (values.get(key) ?? []).map((value) => `${escape(key)}=${escape(value)}`)).join('&');
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
  const email = rawEmail === '' ? null : validateEmail(rawEmail);
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
