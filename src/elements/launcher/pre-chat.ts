/**
 * The launcher's optional pre-chat fields: which modes exist and what a name and email must be
 * before the first send starts a conversation with them. No DOM here, so the rules are tested on
 * their own; the limits and the email pattern are the data layer's (`src/data/validate.ts`), which
 * mirror `start_conversation`, so nothing accepted here is refused by the database.
 */
import { optionalEmail, optionalText } from '../../data/validate.ts';

/** `none`: no fields; `optional`: fields the visitor may leave empty; `required`: both needed. */
export const PRE_CHAT_MODES = ['none', 'optional', 'required'] as const;
export type PreChatMode = (typeof PRE_CHAT_MODES)[number];

/** `start_conversation`'s limits, in characters (code points). */
export const MAX_NAME_LENGTH = 120;
export const MAX_EMAIL_LENGTH = 254;

/** A mode from an attribute value; anything outside the vocabulary is `none`. */
export function preChatMode(value: unknown): PreChatMode {
  return (PRE_CHAT_MODES as readonly unknown[]).includes(value) ? (value as PreChatMode) : 'none';
}

export interface PreChatErrors {
  readonly name?: 'required' | 'too-long';
  readonly email?: 'required' | 'invalid';
}

export interface PreChatCheck {
  /** Trimmed, or null when empty (and always null for `none`). */
  readonly name: string | null;
  readonly email: string | null;
  readonly errors: PreChatErrors;
  /** No errors: the conversation may start. */
  readonly valid: boolean;
}

/** Checks what the visitor typed against the mode. */
export function checkPreChat(input: { readonly name: string; readonly email: string }, mode: PreChatMode): PreChatCheck {
  if (mode === 'none') return { name: null, email: null, errors: {}, valid: true };
  const errors: { name?: 'required' | 'too-long'; email?: 'required' | 'invalid' } = {};
  let name: string | null = null;
  let email: string | null = null;
  try {
    name = optionalText(input.name, MAX_NAME_LENGTH, 'Name is too long', 'name_too_long');
  } catch {
    errors.name = 'too-long';
  }
  try {
    email = optionalEmail(input.email);
  } catch {
    errors.email = 'invalid';
  }
  if (mode === 'required') {
    if (name === null && errors.name === undefined) errors.name = 'required';
    if (email === null && errors.email === undefined) errors.email = 'required';
  }
  const valid = errors.name === undefined && errors.email === undefined;
  return { name: valid ? name : null, email: valid ? email : null, errors, valid };
}
