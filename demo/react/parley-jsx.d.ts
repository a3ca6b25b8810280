/**
 * JSX types for the Parley elements in React 19, which passes props to custom elements as
 * properties when the element has one (`client`, `strings`) and `on<event-name>` props as event
 * listeners (`onparley-send`).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ParleyInbox } from '../../src/elements/inbox/inbox.ts';
import type { ParleyLauncher } from '../../src/elements/launcher/launcher.ts';
import type { ParleyConversationSelectEvent, ParleySendEvent } from '../../src/elements/events.ts';
import type { InboxStrings, LauncherStrings } from '../../src/i18n/strings.ts';
import type { Theme } from '../../src/elements/parley-element.ts';

type ElementProps<E extends HTMLElement> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'onSelect'>;

interface ParleyRootProps {
  'supabase-url'?: string;
  'supabase-key'?: string;
  client?: SupabaseClient;
  theme?: Theme;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'parley-inbox': ElementProps<ParleyInbox> & ParleyRootProps & {
        strings?: Partial<InboxStrings>;
        'conversation-id'?: string;
        'onparley-conversation-select'?: (event: ParleyConversationSelectEvent) => void;
        'onparley-send'?: (event: ParleySendEvent) => void;
      };
      'parley-launcher': ElementProps<ParleyLauncher> & ParleyRootProps & {
        strings?: Partial<LauncherStrings>;
        open?: boolean;
        'pre-chat'?: 'none' | 'optional' | 'required';
        'onparley-send'?: (event: ParleySendEvent) => void;
      };
    }
  }
}
