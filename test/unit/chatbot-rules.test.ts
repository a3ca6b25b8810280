import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHATBOT_LIMITS, chatbotRuleMessages as m, parseTags, validateChatbotSettings, validateKnowledgeArticle,
} from '../../src/data/chatbot-rules.ts';

const SETTINGS = { start: 'never', kind: 'builtin', webhookUrl: '', name: 'Assistant' };
const ARTICLE = { question: 'Can I return a print?', answer: 'Yes, within 30 days.', tags: 'returns', language: 'en' };

describe('chatbot form rules', () => {
  it('pass the defaults and a complete webhook bot', () => {
    assert.deepEqual(validateChatbotSettings(SETTINGS), {});
    assert.deepEqual(validateChatbotSettings({ ...SETTINGS, kind: 'webhook', webhookUrl: 'https://bots.example/hook' }), {});
  });

  it('need a name within its bound, counted in code points', () => {
    assert.equal(validateChatbotSettings({ ...SETTINGS, name: '   ' }).name, m.ruleBotNameRequired);
    assert.deepEqual(validateChatbotSettings({ ...SETTINGS, name: '🤖'.repeat(CHATBOT_LIMITS.name) }), {});
    assert.match(validateChatbotSettings({ ...SETTINGS, name: '🤖'.repeat(CHATBOT_LIMITS.name + 1) }).name ?? '', /80 characters \(now 81\)/);
  });

  it('need an http(s) address for a webhook bot, and only then', () => {
    assert.equal(validateChatbotSettings({ ...SETTINGS, kind: 'webhook' }).webhookUrl, m.ruleWebhookUrlRequired);
    for (const url of ['ftp://bots.example', 'javascript:alert(1)', 'https://', 'bots.example/hook']) {
      assert.equal(validateChatbotSettings({ ...SETTINGS, webhookUrl: url }).webhookUrl, m.ruleWebhookUrlFormat, url);
    }
    assert.ok(validateChatbotSettings({ ...SETTINGS, webhookUrl: `https://b.example/${'a'.repeat(2000)}` }).webhookUrl);
  });

  it('check an article: question, answer, tags and language', () => {
    assert.deepEqual(validateKnowledgeArticle(ARTICLE), {});
    const errors = validateKnowledgeArticle({ question: ' ', answer: '', tags: 'x'.repeat(41), language: 'English' });
    assert.deepEqual(Object.keys(errors).sort(), ['answer', 'language', 'question', 'tags']);
    assert.equal(validateKnowledgeArticle({ ...ARTICLE, tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(',') }).tags, 'At most 10 tags.');
    assert.deepEqual(validateKnowledgeArticle({ ...ARTICLE, language: 'pt-BR' }), {});
  });

  it('read tags as typed: trimmed, blanks and repeats dropped', () => {
    assert.deepEqual(parseTags(' shipping, , returns,shipping ,'), ['shipping', 'returns']);
    assert.deepEqual(parseTags(''), []);
  });
});
