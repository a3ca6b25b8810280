import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_NAME_LENGTH,
  PRE_CHAT_MODES,
  checkPreChat,
  preChatMode,
} from '../../src/elements/launcher/pre-chat.ts';

describe('launcher pre-chat: modes', () => {
  it('is a closed vocabulary; anything else is none', () => {
    assert.deepEqual([...PRE_CHAT_MODES], ['none', 'optional', 'required']);
    for (const mode of PRE_CHAT_MODES) assert.equal(preChatMode(mode), mode);
    for (const other of ['', 'REQUIRED', 'yes', null, undefined, 1]) assert.equal(preChatMode(other), 'none');
  });
});

describe('launcher pre-chat: checkPreChat', () => {
  it('none ignores the fields', () => {
    assert.deepEqual(checkPreChat({ name: 'x'.repeat(500), email: 'nope' }, 'none'), {
      name: null, email: null, errors: {}, valid: true,
    });
  });

  it('optional accepts empty fields and trims what is given', () => {
    assert.deepEqual(checkPreChat({ name: '  ', email: '' }, 'optional'), { name: null, email: null, errors: {}, valid: true });
    assert.deepEqual(checkPreChat({ name: ' Ada ', email: ' ada@example.com ' }, 'optional'), {
      name: 'Ada', email: 'ada@example.com', errors: {}, valid: true,
    });
  });

  it('refuses an email the database would refuse, in either mode', () => {
    for (const email of ['ada', 'ada@example', 'a b@example.com', '@example.com', `${'a'.repeat(250)}@x.io`]) {
      for (const mode of ['optional', 'required'] as const) {
        const check = checkPreChat({ name: 'Ada', email }, mode);
        assert.equal(check.valid, false, `${mode}: ${email}`);
        assert.equal(check.errors.email, 'invalid');
        assert.equal(check.email, null);
      }
    }
  });

  it('required needs both, and says which is missing', () => {
    assert.deepEqual(checkPreChat({ name: '', email: ' ' }, 'required').errors, { name: 'required', email: 'required' });
    assert.deepEqual(checkPreChat({ name: 'Ada', email: '' }, 'required').errors, { email: 'required' });
    assert.deepEqual(checkPreChat({ name: 'Ada', email: 'x@' }, 'required').errors, { email: 'invalid' });
    assert.equal(checkPreChat({ name: 'Ada', email: 'ada@example.com' }, 'required').valid, true);
  });

  it('counts name length in characters, like the database', () => {
    const emoji = '😀'.repeat(MAX_NAME_LENGTH);
    assert.equal(checkPreChat({ name: emoji, email: '' }, 'optional').valid, true);
    assert.deepEqual(checkPreChat({ name: `${emoji}a`, email: '' }, 'optional').errors, { name: 'too-long' });
  });
});
