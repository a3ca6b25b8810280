/**
 * Who the visitor is, over supabase-js: the visitor's page views and `identify()` (written to their
 * own customer row only: the RPCs take no customer id), and, for agents, a customer's profile with
 * their recent pages and the team's corrections of name and email
 * (supabase/migrations/20261220000201_visitor_profile.sql).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { optionalEmail, optionalText, requireUuid } from './validate.ts';
import { run } from './answer.ts';
import type { AttributeValue } from '../session/identify-input.ts';

/** Where a customer's name or email came from: the visitor (unverified), a verified token, an agent. */
export const IDENTITY_SOURCES = ['visitor', 'token', 'agent'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];

/** One page view as the launcher captured it; each field already cut to its column's bound. */
export interface VisitContext {
  readonly url: string;
  readonly title: string | null;
  readonly referrer: string | null;
  /** "Chrome 131", "Safari 17.4". */
  readonly browser: string | null;
  /** "macOS", "Android 14". */
  readonly os: string | null;
  /** BCP 47, from `navigator.language`. */
  readonly language: string | null;
  /** IANA, e.g. "Europe/Paris". */
  readonly timeZone: string | null;
  /** CSS pixels, "1440×900". */
  readonly screen: string | null;
}

/** A stored visit: the context plus when. */
export interface Visit extends VisitContext {
  readonly id: number;
  readonly createdAt: string;
}

/** A customer as the console's side panel shows them. */
export interface CustomerProfile {
  readonly userId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly nameSource: IdentitySource | null;
  readonly emailSource: IdentitySource | null;
  /** Custom attributes from `identify()`. */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Extra answers the visitor gave when starting a conversation (`start_conversation`'s metadata). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** First seen: when the customer row was created. */
  readonly createdAt: string;
  readonly lastSeenAt: string | null;
  /** Newest first, at most 20. */
  readonly visits: readonly Visit[];
}

/** What `identify()` sends; the RPC merges attributes (null removes one). */
export interface IdentifyPayload {
  readonly name?: string;
  readonly email?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

interface CustomerRow {
  user_id: string;
  name: string | null;
  email: string | null;
  name_source: IdentitySource | null;
  email_source: IdentitySource | null;
  attributes: Record<string, AttributeValue> | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
  last_seen_at: string | null;
}

interface VisitRow {
  id: number;
  url: string;
  title: string | null;
  referrer: string | null;
  browser: string | null;
  os: string | null;
  language: string | null;
  time_zone: string | null;
  screen: string | null;
  created_at: string;
}

const CUSTOMER_COLUMNS = 'user_id,name,email,name_source,email_source,attributes,metadata,created_at,last_seen_at';
const VISIT_COLUMNS = 'id,url,title,referrer,browser,os,language,time_zone,screen,created_at';
const MAX_VISITS = 20;

const visitFor = (row: VisitRow): Visit => ({
  id: row.id, url: row.url, title: row.title, referrer: row.referrer, browser: row.browser, os: row.os,
  language: row.language, timeZone: row.time_zone, screen: row.screen, createdAt: row.created_at,
});

/** The signed-in visitor viewed a page (their own row; the newest 20 are kept). */
export async function recordVisit(client: SupabaseClient, context: VisitContext): Promise<void> {
  await run<null>(client.rpc('record_visit', {
    p_url: context.url, p_title: context.title, p_referrer: context.referrer, p_browser: context.browser,
    p_os: context.os, p_language: context.language, p_time_zone: context.timeZone, p_screen: context.screen,
  }));
}

/** What the host page says about the signed-in visitor; verified claims of their token win (server-side). */
export async function identifyVisitor(client: SupabaseClient, payload: IdentifyPayload): Promise<void> {
  await run<unknown>(client.rpc('identify_customer', {
    p_name: payload.name ?? null, p_email: payload.email ?? null, p_attributes: payload.attributes,
  }));
}

export type ProfileApi = ReturnType<typeof createProfileApi>;

/**
 * The console's side of it. The visitor's two writes are separate functions above, so the
 * launcher's chunk carries only them.
 */
export function createProfileApi(client: SupabaseClient) {
  return {
    /** A customer with their recent pages (agents; a visitor may read only their own). Null when not visible. */
    async customerProfile(customerId: string): Promise<CustomerProfile | null> {
      requireUuid(customerId, 'Customer id');
      // One request: the console reloads this on every message the customer writes.
      const row = await run<(CustomerRow & { readonly customer_visits: VisitRow[] }) | null>(client.from('customers')
        .select(`${CUSTOMER_COLUMNS},customer_visits(${VISIT_COLUMNS})`).eq('user_id', customerId)
        .order('created_at', { referencedTable: 'customer_visits', ascending: false })
        .order('id', { referencedTable: 'customer_visits', ascending: false })
        .limit(MAX_VISITS, { referencedTable: 'customer_visits' })
        .maybeSingle().retry(false));
      if (!row) return null;
      const visits = Array.isArray(row.customer_visits) ? row.customer_visits : [];
      return {
        userId: row.user_id, name: row.name, email: row.email, nameSource: row.name_source, emailSource: row.email_source,
        attributes: row.attributes ?? {}, metadata: row.metadata ?? {}, createdAt: row.created_at, lastSeenAt: row.last_seen_at,
        visits: visits.map(visitFor),
      };
    },

    /** Agents: sets a customer's name and email (blank clears one); both are then the team's. */
    async updateCustomer(customerId: string, values: { readonly name: string; readonly email: string }): Promise<void> {
      await run<unknown>(client.rpc('update_customer', {
        p_customer_id: requireUuid(customerId, 'Customer id'),
        p_name: optionalText(values.name, 120, 'Name is longer than 120 characters', 'name_too_long'),
        p_email: optionalEmail(values.email),
      }));
    },
  };
}
