/**
 * The chatbot settings' form rules (issue 17): the same bounds the chatbot migration declares on
 * workspace_settings and knowledge_articles, checked in the browser so the Chatbot section explains
 * a mistake next to its field before any request. The database stays the authority; its refusals
 * come back under the same field names. Pure, like settings-rules.ts.
 */
import { charLength, type FieldErrors } from './settings-rules.ts';

export const CHATBOT_STARTS = ['never', 'always', 'outside_hours'] as const;
export type ChatbotStart = (typeof CHATBOT_STARTS)[number];

export const CHATBOT_KINDS = ['builtin', 'webhook'] as const;
export type ChatbotKind = (typeof CHATBOT_KINDS)[number];

/** The tables' bounds, in characters (code points) or items. */
export const CHATBOT_LIMITS = {
  name: 80,
  webhookUrl: 2000,
  question: 300,
  answer: 4000,
  tags: 10,
  tag: 40,
} as const;

/** What the rules say, in English; the settings screen passes its language's (same keys). */
export const chatbotRuleMessages = {
  ruleBotNameRequired: 'Enter the bot’s name.',
  ruleWebhookUrlRequired: 'A webhook bot needs the address it is sent to.',
  ruleWebhookUrlFormat: 'Use an address starting with https:// or http://.',
  ruleQuestionRequired: 'Enter the question visitors ask.',
  ruleAnswerRequired: 'Enter the answer.',
  ruleTagsMax: 'At most {max} tags.',
  ruleTagTooLong: 'Keep each tag to {max} characters.',
  ruleChatbotTooLong: 'Keep it to {max} characters (now {length}).',
  ruleArticleLanguage: 'Use a language tag like en, fr or pt-BR.',
} as const;
export type ChatbotRuleMessages = { readonly [K in keyof typeof chatbotRuleMessages]: string };

export interface ChatbotSettingsInput {
  readonly start: string;
  readonly kind: string;
  readonly webhookUrl: string;
  readonly name: string;
}

export interface KnowledgeArticleFields {
  readonly question: string;
  readonly answer: string;
  /** As typed: comma-separated. */
  readonly tags: string;
  readonly language: string;
}

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const HTTP_URL = /^https?:\/\/[^\s/]+/;

function fill(template: string, values: Readonly<Record<string, number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

function tooLong(value: string, max: number, m: ChatbotRuleMessages): string | null {
  const length = charLength(value);
  return length > max ? fill(m.ruleChatbotTooLong, { max, length }) : null;
}

/** Tags as typed ("shipping, returns") → the list stored: trimmed, blanks and repeats dropped. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

export function validateChatbotSettings(values: ChatbotSettingsInput, m: ChatbotRuleMessages = chatbotRuleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  const name = values.name.trim();
  if (name === '') errors.name = m.ruleBotNameRequired;
  else {
    const long = tooLong(name, CHATBOT_LIMITS.name, m);
    if (long) errors.name = long;
  }
  const url = values.webhookUrl.trim();
  if (url === '') {
    if (values.kind === 'webhook') errors.webhookUrl = m.ruleWebhookUrlRequired;
  } else if (!HTTP_URL.test(url) || !URL.canParse(url)) {
    errors.webhookUrl = m.ruleWebhookUrlFormat;
  } else {
    const long = tooLong(url, CHATBOT_LIMITS.webhookUrl, m);
    if (long) errors.webhookUrl = long;
  }
  return errors;
}

export function validateKnowledgeArticle(values: KnowledgeArticleFields, m: ChatbotRuleMessages = chatbotRuleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  const question = values.question.trim();
  if (question === '') errors.question = m.ruleQuestionRequired;
  else {
    const long = tooLong(question, CHATBOT_LIMITS.question, m);
    if (long) errors.question = long;
  }
  if (values.answer.trim() === '') errors.answer = m.ruleAnswerRequired;
  else {
    const long = tooLong(values.answer, CHATBOT_LIMITS.answer, m);
    if (long) errors.answer = long;
  }
  const tags = parseTags(values.tags);
  if (tags.length > CHATBOT_LIMITS.tags) errors.tags = fill(m.ruleTagsMax, { max: CHATBOT_LIMITS.tags });
  else if (tags.some((tag) => charLength(tag) > CHATBOT_LIMITS.tag)) errors.tags = fill(m.ruleTagTooLong, { max: CHATBOT_LIMITS.tag });
  if (!LANGUAGE.test(values.language.trim()) || values.language.trim().length > 35) errors.language = m.ruleArticleLanguage;
  return errors;
}
