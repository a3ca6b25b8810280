// `npm run worker` (supabase/worker/cli.ts): one process for Parley's background jobs. Its
// environment is checked up front, by name; with the bot on, a bot conversation is answered.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startWorkersFromEnv, type RunningWorkers } from '../../supabase/worker/cli.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

describe('npm run worker', () => {
  let stack: TestStack;
  let running: RunningWorkers | undefined;

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await running?.close();
    await stack.close();
  });

  it('names what is missing or wrong in the environment', async () => {
    await assert.rejects(startWorkersFromEnv({ REPLY_MAIL: 'off' }, () => undefined), /SUPABASE_URL is required/);
    await assert.rejects(startWorkersFromEnv({ REPLY_MAIL: 'off', SUPABASE_URL: stack.url }, () => undefined), /SUPABASE_SERVICE_ROLE_KEY is required/);
    await assert.rejects(startWorkersFromEnv({ BOT: 'no' }, () => undefined), /BOT must be on or off/);
    await assert.rejects(startWorkersFromEnv({ BOT: 'off', REPLY_MAIL: 'off' }, () => undefined), /nothing to run/);
    await assert.rejects(
      startWorkersFromEnv({ SUPABASE_URL: stack.url, SUPABASE_SERVICE_ROLE_KEY: stack.stack.keys.serviceRole }, () => undefined),
      /SMTP_URL is required/, 'reply mail is on unless REPLY_MAIL=off');
  });

  it('runs the bot: a bot conversation is answered', async () => {
    running = await startWorkersFromEnv({
      SUPABASE_URL: stack.url, SUPABASE_SERVICE_ROLE_KEY: stack.stack.keys.serviceRole, REPLY_MAIL: 'off',
    }, () => undefined);
    assert.ok(running.bot);
    assert.equal(running.replyMail, undefined);
    const admin = await signInAgent(stack, SEED.admin);
    await admin.client.from('workspace_settings').update({ chatbot_start: 'always' }).eq('id', true);
    const visitor = await signInVisitor(stack);
    const { id } = await startConversation(visitor);
    await send(visitor, id, 'How much does shipping cost?');
    await waitFor(async () => {
      const { rows } = await stack.db.query(`select 1 from public.messages where conversation_id = $1 and sender_type = 'chatbot'`, [id]);
      return rows.length === 1;
    }, 'the bot\'s answer');
  });
});
