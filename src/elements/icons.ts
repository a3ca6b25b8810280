/**
 * Small inline icons more than one element draws. Decorative: the text next to each says what it
 * means, so they are hidden from assistive technology.
 */
import { html } from 'lit';
import type { TemplateResult } from 'lit';

/** A padlock: marks what only the team sees (notes, internal workflow lines). No whitespace inside, so it adds no text. */
const LOCK_PATH =
  'M8 1.5a3.5 3.5 0 0 0-3.5 3.5v2H4a1 1 0 0 0-1 1v5.5a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V5A3.5 3.5 0 0 0 8 1.5Zm-2 5.5V5a2 2 0 1 1 4 0v2H6Z';
export const lockIcon: TemplateResult = html`<svg class="lock" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" d=${LOCK_PATH} /></svg>`;

/** A robot's head, for what the chatbot answers: an antenna, a square head, holes for the eyes (evenodd). */
export const botIcon: TemplateResult = html`<svg class="bot" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d="M7 1h2v3H7ZM2 4h12v9H2Zm3 3v2h2V7Zm4 0v2h2V7Z" /></svg>`;
