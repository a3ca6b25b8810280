// The survival check itself: it passes on a fresh stack and fails when the stack stops serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { assertLiveChat, survives } from './survival.ts';
import { signInVisitor, startConversation } from '../helpers/users.ts';

describe('security: the survival check', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('a harmless call survives', async () => {
    await survives(stack, async () => {
      const response = await fetch(`${stack.url}/auth/v1/settings`, { headers: { apikey: stack.stack.keys.anon } });
      assert.equal(response.status, 200);
    });
  });

  it('fails when the attack changed a row', async () => {
    await assert.rejects(survives(stack, async () => {
      await startConversation(await signInVisitor(stack));
    }), /changed no chat row/);
  });

  it('fails when the stack no longer serves', async () => {
    const doomed = await startTestStack();
    await doomed.stack.close();
    await assert.rejects(assertLiveChat(doomed));
    await doomed.db.end().catch(() => undefined);
  });
});
