// postgres_changes pattern filters chosen to stall a backtracking regex engine on the very rows a
// live chat writes ("Is anyone there?"): before, the stand-in compiled them to JavaScript RegExps
// and froze its event loop, and with it auth, REST and realtime for everyone. Now PostgreSQL
// evaluates them, as hosted Realtime does, under a statement timeout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';
import { survives } from './survival.ts';

/** Eight identical alternatives under a star: 8^n paths for a backtracking engine on n characters. */
const EXPLOSIVE_REGEX = '^((.|.|.|.|.|.|.|.))*\\d$';
/** Forty `%`: a backtracking `.*` for each, tried in every split of the value. */
const EXPLOSIVE_LIKE = `${'%'.repeat(40)}x`;

describe('security: postgres_changes pattern filters', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('a subscriber with catastrophic like, ilike, match and imatch patterns freezes nothing', async () => {
    const attacker = await signInVisitor(stack);
    await attacker.client.realtime.setAuth();
    await survives(stack, async () => {
      const system: { status: string; message: string }[] = [];
      const changes = { event: 'INSERT', schema: 'public' } as const;
      const channel = attacker.client.channel('patterns')
        .on('postgres_changes', { ...changes, table: 'messages', filter: `content=match.${EXPLOSIVE_REGEX}` }, () => undefined)
        .on('postgres_changes', { ...changes, table: 'messages', filter: `content=imatch.${EXPLOSIVE_REGEX}` }, () => undefined)
        .on('postgres_changes', { ...changes, table: 'messages', filter: `content=like.${EXPLOSIVE_LIKE}` }, () => undefined)
        .on('postgres_changes', { ...changes, table: 'messages', filter: `content=not.ilike.${EXPLOSIVE_LIKE}` }, () => undefined)
        .on('postgres_changes', { ...changes, table: 'conversations', filter: `subject=match.${EXPLOSIVE_REGEX}` }, () => undefined)
        .on('system', {}, (message: { status: string; message: string }) => system.push(message));
      await subscribe(channel);
      await waitFor(() => system.length > 0, 'the subscription to be set up');
      assert.deepEqual(system.map((m) => [m.status, m.message]), [['ok', 'Subscribed to PostgreSQL']]);
      // The live chat that follows writes rows these patterns are tested against.
    });
  });
});
