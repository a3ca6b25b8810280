import { randomUUID } from 'node:crypto';
import type pg from 'pg';

type Queryable = pg.Pool | pg.PoolClient;
export type JsonObject = Record<string, unknown>;

/** The `auth.users` columns this service reads. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  phone: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: JsonObject | null;
  raw_user_meta_data: JsonObject | null;
  created_at: Date | null;
  updated_at: Date | null;
  banned_until: Date | null;
  is_anonymous: boolean;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  /** The address an email change waits to confirm (GoTrue's `new_email`). */
  email_change: string | null;
  email_change_token_new: string | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  email_change_sent_at: Date | null;
}

interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: JsonObject;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

const USER_COLUMNS = `id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at,
  confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until,
  is_anonymous, invited_at, confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at, email_change,
  email_change_token_new, email_change_token_current, email_change_confirm_status, email_change_sent_at`;

export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [id]);
  return rows[0] ?? null;
}

/** Seeds may store emails in any case; GoTrue compares them lower-cased. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where lower(email) = $1 and is_sso_user = false
     order by created_at limit 1`,
    [email],
  );
  return rows[0] ?? null;
}

export async function findUserByPhone(db: Queryable, phone: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where phone = $1`, [phone]);
  return rows[0] ?? null;
}

export interface NewUser {
  email: string | null;
  phone?: string | null;
  passwordHash: string | null;
  /** Confirms the email or phone the user signs up with (autoconfirm). */
  confirmed: boolean;
  appMetadata: JsonObject;
  userMetadata: JsonObject;
  isAnonymous: boolean;
  role?: string;
}

/** Inserts a user and, for an email user, the `email` identity GoTrue keeps beside it. */
export async function insertUser(db: Queryable, user: NewUser): Promise<UserRow> {
  const id = randomUUID();
  const role = user.role ?? 'authenticated';
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at, confirmation_token,
       recovery_token, email_change_token_new, email_change, phone_confirmed_at)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3::text, $4::text, $5,
       case when $6::boolean and $3::text is not null then now() end, $7, $8, $9, now(), now(), '', '', '', '',
       case when $6::boolean and $4::text is not null then now() end)
     returning ${USER_COLUMNS}`,
    [id, role, user.email, user.phone ?? null, user.passwordHash, user.confirmed,
      user.appMetadata, user.userMetadata, user.isAnonymous],
  );
  const row = rows[0];
  if (!row) throw new Error('insert into auth.users returned no row');
  if (user.email !== null) await upsertIdentity(db, row.id, 'email', { email: user.email, email_verified: user.confirmed });
  else if (user.phone) await upsertIdentity(db, row.id, 'phone', { phone: user.phone, phone_verified: user.confirmed });
  return row;
}

/** GoTrue keeps an identity per provider; for email and phone its provider id is the user id. */
export async function upsertIdentity(db: Queryable, userId: string, provider: 'email' | 'phone', data: JsonObject) {
  const identityData = { sub: userId, email_verified: false, phone_verified: false, ...data };
  await db.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1::text, $1::text::uuid, $2, $3, now(), now(), now())
     on conflict (provider_id, provider) do update set identity_data = excluded.identity_data, updated_at = now()`,
    [userId, identityData, provider],
  );
}

export async function touchLastSignIn(db: Queryable, user: UserRow): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
    [user.id],
  );
  await db.query(`update auth.identities set last_sign_in_at = now() where user_id = $1`, [user.id]);
  return rows[0] ?? user;
}

/** The user object of GoTrue's JSON (`models.User`): `omitempty` fields are left out when unset. */
export async function userJson(db: Queryable, user: UserRow): Promise<JsonObject> {
  const { rows } = await db.query<IdentityRow>(
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email
     from auth.identities where user_id = $1 order by created_at, id`,
    [user.id],
  );
  const json: JsonObject = {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
  };
  setTime(json, 'email_confirmed_at', user.email_confirmed_at);
  setTime(json, 'invited_at', user.invited_at);
  json.phone = user.phone ?? '';
  setTime(json, 'phone_confirmed_at', user.phone_confirmed_at);
  setTime(json, 'confirmed_at', user.confirmed_at);
  setTime(json, 'confirmation_sent_at', user.confirmation_sent_at);
  setTime(json, 'recovery_sent_at', user.recovery_sent_at);
  if (user.email_change) json.new_email = user.email_change;
  setTime(json, 'email_change_sent_at', user.email_change_sent_at);
  setTime(json, 'last_sign_in_at', user.last_sign_in_at);
  json.app_metadata = user.raw_app_meta_data ?? {};
  json.user_metadata = user.raw_user_meta_data ?? {};
  json.identities = rows.map(identityJson);
  json.created_at = iso(user.created_at);
  json.updated_at = iso(user.updated_at);
  setTime(json, 'banned_until', user.banned_until);
  json.is_anonymous = user.is_anonymous;
  return json;
}

function identityJson(row: IdentityRow): JsonObject {
  // GoTrue's historical naming: `id` is the provider's id, `identity_id` the row's.
  const json: JsonObject = {
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: row.identity_data,
    provider: row.provider,
  };
  setTime(json, 'last_sign_in_at', row.last_sign_in_at);
  json.created_at = iso(row.created_at);
  json.updated_at = iso(row.updated_at);
  if (row.email) json.email = row.email;
  return json;
}

function setTime(json: JsonObject, key: string, value: Date | null): void {
  if (value !== null) json[key] = value.toISOString();
}

/** Seeds often leave timestamps null; Go would print its zero time. */
function iso(value: Date | null): string {
  return value === null ? '0001-01-01T00:00:00Z' : value.toISOString();
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
