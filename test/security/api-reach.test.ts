// What an anon key and a signed-in visitor can reach through the API, tried from the outside: every
// function PostgreSQL holds is called over REST, and the schemas the config does not expose are
// asked for by profile. Only the reviewed RPCs answer (test/server/grants.test.ts lists them from
// the catalog); the rest are refused without running, and nothing changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { survives } from './survival.ts';

/** Functions a visitor's session may call over REST (all in `public`; anon may call none). */
const VISITOR_RPCS = new Set([
  'insert_message', 'mark_read', 'search_conversations', 'start_conversation', 'team_profiles',
  'agent_outbox_key', 'set_conversation_status', 'assign_conversation', 'set_chatbot_enabled',
  'console_heartbeat', 'console_leave', 'set_availability', 'team_online',
  'record_visit', 'identify_customer', 'update_customer',
  // Issue 14: the widget's settings; the admin and profile RPCs refuse a visitor inside (tested in
  // test/server/workspace-admin*.test.ts).
  'widget_settings', 'invite_agent', 'revoke_invitation', 'set_agent_role', 'set_agent_active', 'update_own_profile',
  // Issue 15: CSAT; rate_conversation checks the conversation is the caller's, csat_summary that
  // the caller is an agent (test/server/csat.test.ts).
  'rate_conversation', 'csat_summary',
  // Issue 15: unsubscribing from reply emails takes only the mailed token (tested in reply-mail.test.ts).
  'unsubscribe_reply_emails',
  // Issue 15: continue by email's merge; complete_visitor_merge takes only a secret its holder took
  // while anonymous, and never from a permanent user (test/server/visitor-merge.test.ts).
  'begin_visitor_merge', 'complete_visitor_merge',
  // Issue 17: the chatbot. request_handover checks the conversation is the caller's (or an agent's),
  // rotate_chatbot_credentials that the caller is an admin, bot_reply the bot key
  // (test/server/chatbot.test.ts).
  'request_handover', 'rotate_chatbot_credentials', 'bot_reply',
]);

/**
 * Functions the anon key may call: unsubscribing with a mailed token, and the webhook bot's reply
 * with its bot key (each refuses anything else and changes nothing).
 */
const ANON_RPCS = new Set(['unsubscribe_reply_emails', 'bot_reply']);

interface Routine {
  readonly schema: string;
  readonly name: string;
}

describe('security: what the API roles can reach', () => {
  let stack: TestStack;
  let visitor: Person;
  let token: string;
  let routines: Routine[];

  before(async () => {
    stack = await startTestStack();
    visitor = await signInVisitor(stack);
    await startConversation(visitor);
    token = (await visitor.client.auth.getSession()).data.session?.access_token ?? '';
    const { rows } = await stack.db.query<Routine>(`
      select n.nspname as schema, p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('public', 'private', 'auth', 'realtime') and p.prokind = 'f'
      order by 1, 2`);
    routines = rows;
  });
  after(() => stack.close());

  async function call(routine: Routine, bearer: string | null): Promise<{ status: number; code: string }> {
    const response = await fetch(`${stack.url}/rest/v1/rpc/${routine.name}`, {
      method: 'POST',
      headers: {
        apikey: stack.stack.keys.anon,
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(routine.schema === 'public' ? {} : { 'content-profile': routine.schema }),
      },
      body: '{}',
    });
    const body = await response.json() as { code?: string };
    return { status: response.status, code: body.code ?? '' };
  }

  it('the anon key runs no function in any schema but the reviewed unsubscribe and bot reply', async () => {
    await survives(stack, async () => {
      assert.ok(routines.some((r) => r.schema === 'private'), 'the catalog lists private functions');
      for (const routine of routines) {
        const { status, code } = await call(routine, null);
        const where = `${routine.schema}.${routine.name}`;
        if (routine.schema === 'public' && ANON_RPCS.has(routine.name)) {
          // Reachable, but '{}' carries no token: refused with a clear error (or no matching signature).
          assert.ok((status === 400 && code === 'PT400') || (status === 404 && code === 'PGRST202'), `${where}: ${status} ${code}`);
          continue;
        }
        if (routine.schema === 'public') {
          // Not executable by anon: PostgREST's 401 for 42501, or no such function for anon's cache.
          assert.ok((status === 401 && code === '42501') || (status === 404 && code === 'PGRST202'),
            `${where}: ${status} ${code}`);
        } else {
          assert.equal(status, 406, `${where}: ${status} ${code}`);
          assert.equal(code, 'PGRST106', where);
        }
      }
    });
  });

  it('a visitor reaches only the reviewed RPCs, and no unexposed schema by profile', async () => {
    await survives(stack, async () => {
      const publicNames = new Set(routines.filter((r) => r.schema === 'public').map((r) => r.name));
      for (const name of VISITOR_RPCS) assert.ok(publicNames.has(name), `${name} exists`);
      for (const routine of routines) {
        // The visitor's own RPCs are what the chat runs on; they are tested for what they allow elsewhere.
        if (routine.schema === 'public' && VISITOR_RPCS.has(routine.name)) continue;
        const where = `${routine.schema}.${routine.name}`;
        const { status, code } = await call(routine, token);
        if (routine.schema !== 'public') {
          assert.deepEqual([status, code], [406, 'PGRST106'], where);
        } else {
          assert.ok((status === 403 && code === '42501') || (status === 404 && code === 'PGRST202'),
            `${where} must not run for a visitor: ${status} ${code}`);
        }
      }
      for (const schema of ['private', 'auth', 'realtime', 'pg_catalog', 'information_schema']) {
        for (const table of ['agent_outbox_keys', 'users', 'messages', 'pg_authid', 'tables']) {
          const response = await fetch(`${stack.url}/rest/v1/${table}?select=*`, {
            headers: { apikey: stack.stack.keys.anon, authorization: `Bearer ${token}`, 'accept-profile': schema },
          });
          const body = await response.json() as { code?: string };
          assert.deepEqual([response.status, body.code], [406, 'PGRST106'], `${schema}.${table}`);
        }
      }
    });
  });
});
