// Shared by the workspace-admin suites: agents made the way the product makes them (an admin's
// invitation, then a real sign-up through the stack's auth endpoints).
import assert from 'node:assert/strict';
import type { TestStack } from '../helpers/stack.ts';
import type { Person } from '../helpers/users.ts';

export interface Invited extends Person {
  readonly email: string;
}

/** Invites a fresh address as `role` (by `admin`) and signs it up; the trigger makes it an agent. */
export async function inviteAndSignUp(stack: TestStack, admin: Person, role: 'agent' | 'admin', name = 'New Agent'): Promise<Invited> {
  const email = `agent-${crypto.randomUUID().slice(0, 8)}@parley.test`;
  const invited = await admin.client.rpc('invite_agent', { p_email: email, p_role: role, p_display_name: name });
  assert.equal(invited.error, null, `invite_agent failed: ${invited.error?.message}`);
  const client = stack.client();
  const { data, error } = await client.auth.signUp({ email, password: 'parley-agent' });
  assert.equal(error, null, `sign-up failed: ${error?.message}`);
  assert.ok(data.user && data.session, 'sign-up returns a session (no email confirmation locally)');
  return { client, id: data.user.id, email };
}

/** Rows behind the API that a refused admin call must not change. */
export async function teamSnapshot(stack: TestStack): Promise<unknown> {
  const { rows } = await stack.db.query(`
    select (select json_agg(a order by user_id) from (select user_id, display_name, avatar_url, role, active from public.agents) a) as agents,
           (select json_agg(i order by id) from public.agent_invitations i) as invitations,
           (select row_to_json(s) from public.workspace_settings s) as settings,
           (select json_agg(c order by id) from public.canned_responses c) as canned`);
  return rows[0];
}
