import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyRating, ratingStrings } from '../../src/elements/rating/rating.ts';
import { ratingCard } from '../../src/elements/rating/rating-chunk.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

ParleyRating.define('parley-rating');

function root(el: ParleyRating): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

function steps(el: ParleyRating): HTMLButtonElement[] {
  return [...root(el).querySelectorAll<HTMLButtonElement>('[part~="step"]')];
}

function step(el: ParleyRating, index: number): HTMLButtonElement {
  const button = steps(el)[index];
  if (!button) throw new Error(`no step ${index}`);
  return button;
}

function part<T extends HTMLElement = HTMLElement>(el: ParleyRating, name: string): T | null {
  return root(el).querySelector<T>(`[part~="${name}"]`);
}

function must<T extends HTMLElement = HTMLElement>(el: ParleyRating, name: string): T {
  const found = part<T>(el, name);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

describe('<parley-rating>', () => {
  it('asks with five named faces, then a comment with Send and Skip', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
    expect(root(el).textContent).to.contain(ratingStrings.question);
    expect(steps(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Terrible (1 of 5)', 'Bad (2 of 5)', 'OK (3 of 5)', 'Good (4 of 5)', 'Great (5 of 5)',
    ]);
    expect(part(el, 'comment'), 'no comment box before a face is picked').to.equal(null);
    step(el, 3).click();
    await el.updateComplete;
    expect(step(el, 3).getAttribute('aria-pressed')).to.equal('true');
    expect(part(el, 'comment')).to.not.equal(null);
    expect(part(el, 'send-button')?.textContent?.trim()).to.equal('Send');
    expect(part(el, 'skip-button')?.textContent?.trim()).to.equal('Skip');
  });

  it('has three steps on a 3-step scale', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating .scale=${3}></parley-rating>`);
    expect(steps(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Bad (1 of 3)', 'OK (2 of 3)', 'Great (3 of 3)']);
  });

  it('Send carries the score and the trimmed comment; Skip the score alone', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
    step(el, 4).click();
    await el.updateComplete;
    must<HTMLTextAreaElement>(el, 'comment').value = '  Quick answer.  ';
    setTimeout(() => must(el, 'send-button').click());
    const sent = await oneEvent(el, 'parley-rate');
    expect(sent.detail).to.deep.equal({ score: 5, comment: 'Quick answer.' });
    expect(sent.composed && sent.bubbles).to.equal(true);

    setTimeout(() => must(el, 'skip-button').click());
    const skipped = await oneEvent(el, 'parley-rate');
    expect(skipped.detail).to.deep.equal({ score: 5, comment: '' });
  });

  it('is operated from the keyboard: Tab to the faces, arrows between them, Enter picks, Tab on to Send', async () => {
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.append(before);
    const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
    before.focus();
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(steps(el)[0]);
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect(root(el).activeElement).to.equal(steps(el)[2]);
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(root(el).activeElement).to.equal(steps(el)[3]);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(step(el, 3).getAttribute('aria-pressed')).to.equal('true');
    // The faces, then the comment, then Skip and Send.
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(steps(el)[4]);
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(part(el, 'comment'));
    await sendKeys({ type: 'Thanks' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement).to.equal(part(el, 'send-button'));
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const sent = await oneEvent(el, 'parley-rate');
    expect(sent.detail).to.deep.equal({ score: 4, comment: 'Thanks' });
    before.remove();
  });

  it('arrows follow the reading direction in right-to-left', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div dir="rtl"><parley-rating></parley-rating></div>`);
    const el = wrapper.querySelector('parley-rating');
    if (!el) throw new Error('no card');
    await el.updateComplete;
    step(el, 0).focus();
    await sendKeys({ press: 'ArrowLeft' });
    expect(root(el).activeElement).to.equal(steps(el)[1]);
  });

  it('thanks with the score once rated, and asks nothing', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating .score=${4}></parley-rating>`);
    expect(root(el).textContent).to.contain('Thanks for your feedback!');
    expect(root(el).textContent).to.contain('You rated 4/5');
    expect(steps(el)).to.have.length(0);
    expect(part(el, 'base')?.getAttribute('role')).to.equal('status');
  });

  it('while sending the buttons wait; a failure is announced and the choice kept', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
    step(el, 1).click();
    el.busy = true;
    await el.updateComplete;
    expect(must<HTMLButtonElement>(el, 'send-button').disabled).to.equal(true);
    expect(must(el, 'send-button').textContent?.trim()).to.equal('Sending…');
    el.busy = false;
    el.failed = true;
    await el.updateComplete;
    expect(part(el, 'error')?.getAttribute('role')).to.equal('alert');
    expect(step(el, 1).getAttribute('aria-pressed')).to.equal('true');
  });

  it('renders the visitor\'s text as text', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating .strings=${{ question: '<img src=x onerror=alert(1)>' }}></parley-rating>`);
    expect(root(el).querySelector('img')).to.equal(null);
  });

  it('ratingCard() renders the card bound to a conversation', async () => {
    const host = await fixture<HTMLDivElement>(html`<div>${ratingCard(() => undefined, 'c1', null, 3, 'dark')}</div>`);
    const el = host.querySelector('parley-rating');
    if (!el) throw new Error('no card');
    await el.updateComplete;
    expect(el.scale).to.equal(3);
    expect(el.theme).to.equal('dark');
    expect(steps(el)).to.have.length(3);
  });

  it('is accessible asking, with a face picked, and thanking, light and dark', async () => {
    const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
    await expectAccessibleInBothThemes(el);
    step(el, 2).click();
    await el.updateComplete;
    await expectAccessibleInBothThemes(el);
    el.score = 3;
    await el.updateComplete;
    await expectAccessibleInBothThemes(el);
  });

  it('writes no Lit dev-mode warnings', async () => {
    const output = await collectConsoleOutput(async () => {
      const el = await fixture<ParleyRating>(html`<parley-rating></parley-rating>`);
      el.scale = 3;
      el.score = 2;
      el.theme = 'dark';
      await el.updateComplete;
      el.remove();
    });
    expect(output).to.deep.equal([]);
  });
});
