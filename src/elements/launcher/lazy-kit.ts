/**
 * What the launcher's on-demand parts (away-email.ts, pre-chat-fields.ts) use at runtime, handed to
 * them by the first open's code rather than imported. Imported, every module they share with the
 * first open would go to a third chunk (rolldown's common chunk) that the first open must fetch as
 * well, and two files compress worse than one; handed over, the on-demand chunks import nothing.
 */
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { optionalEmail } from '../../data/validate.ts';
import { formatString } from '../../i18n/strings.ts';
import { safeLocalStorage } from '../../session/index.ts';
import { MAX_EMAIL_LENGTH, MAX_NAME_LENGTH } from './pre-chat.ts';

export interface LazyKit {
  readonly html: typeof html;
  readonly nothing: typeof nothing;
  readonly live: typeof live;
  readonly optionalEmail: typeof optionalEmail;
  readonly formatString: typeof formatString;
  readonly safeLocalStorage: typeof safeLocalStorage;
  readonly MAX_EMAIL_LENGTH: number;
  readonly MAX_NAME_LENGTH: number;
}

export const kit: LazyKit = { html, nothing, live, optionalEmail, formatString, safeLocalStorage, MAX_EMAIL_LENGTH, MAX_NAME_LENGTH };
