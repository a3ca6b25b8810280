// The reply email's fragment (src/session/parley-link.ts): only our keys are read, a malformed
// value is refused, and taking the link removes our keys from the address bar, once.
import { expect } from '@open-wc/testing';
import { parseParleyLink, takeParleyLink } from '../../src/session/parley-link.ts';

const ID = '0b7e7a4c-52a3-4c39-8f0e-3f0b1b6d2a11';
const TOKEN = 'a'.repeat(56);

describe('parley-link', () => {
  describe('parseParleyLink', () => {
    it('reads the conversation and the token', () => {
      expect(parseParleyLink(`#parley-conversation=${ID}&parley-token=${TOKEN}`)).to.deep.equal({
        link: { conversationId: ID, token: TOKEN }, rest: '',
      });
      expect(parseParleyLink(`parley-conversation=${ID}`).link).to.deep.equal({ conversationId: ID, token: null });
    });

    it('ignores other keys and leaves them in the rest, GoTrue\'s included', () => {
      const parsed = parseParleyLink(`#section=faq&parley-conversation=${ID}&access_token=x`);
      expect(parsed.link?.conversationId).to.equal(ID);
      expect(parsed.rest).to.equal('section=faq&access_token=x');
      expect(parseParleyLink('#access_token=x&type=magiclink&token_hash=y')).to.deep.equal({
        link: null, rest: 'access_token=x&type=magiclink&token_hash=y',
      });
      expect(parseParleyLink('').link).to.equal(null);
    });

    it('refuses a malformed conversation id and drops a malformed token', () => {
      expect(parseParleyLink('#parley-conversation=../../etc').link).to.equal(null);
      expect(parseParleyLink(`#parley-conversation=${ID}&parley-token=<script>`).link).to.deep.equal({ conversationId: ID, token: null });
      expect(parseParleyLink(`#parley-token=${TOKEN}`)).to.deep.equal({ link: null, rest: '' });
    });
  });

  describe('takeParleyLink', () => {
    let before: string;
    beforeEach(() => {
      before = location.href;
    });
    afterEach(() => {
      history.replaceState(history.state, '', before);
    });

    it('takes the link once and removes only our keys from the address bar', () => {
      history.replaceState(history.state, '', `${location.pathname}${location.search}#top&parley-conversation=${ID}&parley-token=${TOKEN}`);
      const length = history.length;
      expect(takeParleyLink()).to.deep.equal({ conversationId: ID, token: TOKEN });
      expect(location.hash, 'the page\'s own fragment as it was').to.equal('#top');
      expect(history.length, 'replaced, not pushed').to.equal(length);
      history.replaceState(history.state, '', `${location.pathname}#parley-conversation=${ID}`);
      expect(takeParleyLink(), 'once per page').to.equal(null);
      expect(location.hash, 'a second link stays for nobody').to.equal(`#parley-conversation=${ID}`);
    });
  });
});
