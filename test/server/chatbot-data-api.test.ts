// The widget's and the console's chatbot data layer (issue 17) against the real stack:
// src/data/chatbot-admin.ts (settings, knowledge base, credentials; refusals naming the field),
// requestHandover, handed_over_at on conversations, quick replies through sendMessage, and the
// chatbot's name for the widget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ParleyDataError } from '../../src/data/admin-api.ts';
import { createChatbotAdminApi, type ChatbotAdminApi } from '../../src/data/chatbot-admin.ts';
import { createDataApi } from '../../src/data/team-api.ts';
import { createConversationApi } from '../../src/data/api.ts';
import { isParleyError } from '../../src/data/errors.ts';
import { quickRepliesOf, quickReplyOf } from '../../src/data/quick-replies.ts';
import { quickReplyMetadata, requireQuickReplies } from '../../src/data/quick-reply-input.ts';
import { widgetHome } from '../../src/data/widget-settings.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

async function refusal(work: Promise<unknown>): Promise<ParleyDataError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ParleyDataError, `a ParleyDataError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('chatbot data API', () => {
  let stack: TestStack;
  let admin: ChatbotAdminApi;
  let agentApi: ChatbotAdminApi;
  let adminPerson: Person;
  let agent: Person;

  before(async () => {
    stack = await startTestStack();
    [adminPerson, agent] = await Promise.all([signInAgent(stack, SEED.admin), signInAgent(stack)]);
    admin = createChatbotAdminApi(adminPerson.client);
    agentApi = createChatbotAdminApi(agent.client);
  });
  after(() => stack.close());

  it('reads and changes the chatbot settings; the widget sees the name; refusals name the field', async () => {
    const initial = await agentApi.chatbotSettings();
    assert.deepEqual(initial, { start: 'never', kind: 'builtin', webhookUrl: null, name: 'Assistant' });
    const changed = await admin.updateChatbotSettings({ start: 'outside_hours', name: 'Lumen Helper' });
    assert.deepEqual(changed, { start: 'outside_hours', kind: 'builtin', webhookUrl: null, name: 'Lumen Helper' });
    const visitor = await signInVisitor(stack);
    assert.equal((await widgetHome(visitor.client)).botName, 'Lumen Helper');

    assert.equal((await refusal(admin.updateChatbotSettings({ kind: 'webhook' }))).field, 'webhookUrl', 'a webhook needs its URL');
    assert.equal((await refusal(admin.updateChatbotSettings({ webhookUrl: 'ftp://bot.example' }))).field, 'webhookUrl');
    assert.equal((await refusal(admin.updateChatbotSettings({ name: ' ' }))).field, 'name');
    assert.equal((await refusal(admin.updateChatbotSettings({ start: 'sometimes' as never }))).field, 'start');
    assert.equal((await refusal(admin.updateChatbotSettings({ mood: 'cheerful' } as never))).reason, 'setting_unknown');
    const webhook = await admin.updateChatbotSettings({ kind: 'webhook', webhookUrl: 'https://bot.example/parley' });
    assert.deepEqual([webhook.kind, webhook.webhookUrl], ['webhook', 'https://bot.example/parley']);
    // Back to the built-in bot; an emptied URL is none.
    assert.equal((await admin.updateChatbotSettings({ kind: 'builtin', webhookUrl: '' })).webhookUrl, null);
    await assert.rejects(agentApi.updateChatbotSettings({ name: 'Agent Bot' }), (e: unknown) => isParleyError(e) && e.kind === 'forbidden');
    assert.equal((await agentApi.chatbotSettings()).name, 'Lumen Helper', 'nothing stored by an agent');
    await admin.updateChatbotSettings({ start: 'never', name: 'Assistant' });
  });

  it('keeps the knowledge base: admins write, agents read, search filters, refusals name the field', async () => {
    const article = await admin.createKnowledgeArticle({
      question: 'Can I pay with a Zephyr token?', answer: 'Yes: enter the code at checkout.', tags: [' zephyr-pay ', 'token', 'token', ''], language: 'en',
    });
    assert.deepEqual(article.tags, ['zephyr-pay', 'token'], 'trimmed, blanks and repeats dropped');
    assert.ok((await agentApi.knowledgeArticles()).some((a) => a.id === article.id));
    assert.deepEqual((await agentApi.knowledgeArticles('ZEPHYR TOKEN')).map((a) => a.id), [article.id]);
    assert.deepEqual((await agentApi.knowledgeArticles('zephyr-pay')).map((a) => a.id), [article.id], 'tags are searched too');
    const edited = await admin.updateKnowledgeArticle(article.id, { answer: 'Yes, at checkout.', language: 'de' });
    assert.deepEqual([edited.answer, edited.language, edited.question], ['Yes, at checkout.', 'de', article.question]);

    assert.equal((await refusal(admin.createKnowledgeArticle({ question: '', answer: 'x', tags: [], language: 'en' }))).field, 'question');
    assert.equal((await refusal(admin.createKnowledgeArticle({ question: 'q', answer: 'x'.repeat(4001), tags: [], language: 'en' }))).field, 'answer');
    assert.equal((await refusal(admin.createKnowledgeArticle({ question: 'q', answer: 'a', tags: ['x'.repeat(41)], language: 'en' }))).field, 'tags');
    assert.equal((await refusal(admin.createKnowledgeArticle({ question: 'q', answer: 'a', tags: [], language: 'English' }))).field, 'language');
    assert.equal((await refusal(admin.updateKnowledgeArticle(article.id, {}))).reason, 'changes_empty');

    await assert.rejects(agentApi.createKnowledgeArticle({ question: 'q', answer: 'a', tags: [], language: 'en' }), isParleyError);
    await assert.rejects(agentApi.deleteKnowledgeArticle(article.id), (e: unknown) => isParleyError(e) && e.kind === 'not-found');
    await admin.deleteKnowledgeArticle(article.id);
    assert.equal((await agentApi.knowledgeArticles()).some((a) => a.id === article.id), false);
    await assert.rejects(admin.deleteKnowledgeArticle(article.id), (e: unknown) => isParleyError(e) && e.kind === 'not-found');
  });

  it('rotates the credentials for admins only, new ones each time', async () => {
    const first = await admin.rotateChatbotCredentials();
    const second = await admin.rotateChatbotCredentials();
    assert.ok(first.webhookSecret.length >= 32 && first.botKey.length >= 32);
    assert.notEqual(first.webhookSecret, second.webhookSecret);
    assert.notEqual(first.botKey, second.botKey);
    await assert.rejects(agentApi.rotateChatbotCredentials(), isParleyError);
  });

  it('hands over on request, once: the bot goes off, handed_over_at is set, the visitor sees the line', async () => {
    await admin.updateChatbotSettings({ start: 'always' });
    const visitor = await signInVisitor(stack);
    const visitorApi = createConversationApi(visitor.client, { audience: 'customer' });
    const conversation = await visitorApi.startConversation({ id: crypto.randomUUID() });
    await admin.updateChatbotSettings({ start: 'never' });
    assert.equal(conversation.chatbot_enabled, true);
    assert.equal(conversation.handed_over_at, null);
    const team = createDataApi(agent.client);
    const handed = await team.requestHandover(conversation.id);
    assert.equal(handed.chatbot_enabled, false);
    assert.ok(handed.handed_over_at && !Number.isNaN(Date.parse(handed.handed_over_at)));
    const again = await team.requestHandover(conversation.id);
    assert.equal(again.handed_over_at, handed.handed_over_at, 'idempotent');
    const listed = await team.getConversation(conversation.id);
    assert.equal(listed.handed_over_at, handed.handed_over_at, 'read over REST too');
    const lines = (await visitorApi.pageMessages(conversation.id)).items.filter((m) => m.sender_type === 'system');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.metadata['event'], 'handover');
    assert.equal(lines[0]?.visibility, 'public');
  });

  it('quick replies: an agent offers them, the visitor answers with one, both read back checked', async () => {
    const visitor = await signInVisitor(stack);
    const visitorApi = createConversationApi(visitor.client, { audience: 'customer' });
    const conversation = await visitorApi.startConversation({ id: crypto.randomUUID() });
    await visitorApi.sendMessage({ id: crypto.randomUUID(), conversationId: conversation.id, content: 'Which size?' });
    const team = createDataApi(agent.client);
    const offered = await team.sendMessage({
      id: crypto.randomUUID(), conversationId: conversation.id, content: 'Which one do you mean?',
      metadata: { quick_replies: requireQuickReplies([{ label: 'A5' }, { label: 'A4' }]) },
    });
    assert.deepEqual(quickRepliesOf(offered), [{ id: 'reply-1', label: 'A5' }, { id: 'reply-2', label: 'A4' }]);
    const seen = (await visitorApi.pageMessages(conversation.id)).items.at(-1);
    assert.ok(seen);
    assert.deepEqual(quickRepliesOf(seen), [{ id: 'reply-1', label: 'A5' }, { id: 'reply-2', label: 'A4' }]);
    const answer = await visitorApi.sendMessage({ id: crypto.randomUUID(), conversationId: conversation.id, content: 'A4', metadata: quickReplyMetadata('reply-2') });
    assert.equal(quickReplyOf(answer), 'reply-2');
    // The database's own checks stand behind the data layer's.
    await assert.rejects(team.sendMessage({
      id: crypto.randomUUID(), conversationId: conversation.id, content: 'x', metadata: { quick_replies: [{ id: 'A', label: 'x' }] },
    }), (e: unknown) => isParleyError(e) && e.reason === 'quick_replies_invalid');
    await assert.rejects(visitorApi.sendMessage({
      id: crypto.randomUUID(), conversationId: conversation.id, content: 'x', metadata: { quick_replies: [{ id: 'a', label: 'x' }] },
    }), (e: unknown) => isParleyError(e) && e.reason === 'quick_replies_forbidden');
  });
});
