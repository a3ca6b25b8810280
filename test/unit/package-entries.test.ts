/**
 * The package entries stay in step with src/define.ts: every element it registers is exported by
 * `parley-chat` and wrapped by `parley-chat/react`. Runs on Lit's server build (its DOM shim), which
 * is enough to load the modules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as define from '../../src/define.ts';
import * as entry from '../../src/index.ts';
import * as react from '../../src/react/index.ts';

const elementClasses = Object.entries(define).filter(([name]) => /^Parley(?!.*Event$)/.test(name));

describe('package entries', () => {
  it('src/define.ts registers elements (sanity)', () => {
    assert.ok(elementClasses.length >= 6, elementClasses.map(([name]) => name).join(', '));
  });

  it('parley-chat exports every element class of src/define.ts, and every event class', () => {
    for (const [name, value] of Object.entries(define)) {
      assert.equal((entry as Record<string, unknown>)[name], value, `parley-chat is missing ${name}`);
    }
  });

  it('parley-chat/react wraps every element class of src/define.ts under its name', () => {
    for (const [name] of elementClasses) {
      const wrapper = (react as Record<string, unknown>)[name] as { displayName?: string } | undefined;
      assert.ok(wrapper, `parley-chat/react is missing ${name}`);
      assert.equal(wrapper.displayName, name);
    }
    assert.deepEqual(Object.keys(react).sort(), elementClasses.map(([name]) => name).sort());
  });
});
