/**
 * React wrappers, `parley-chat/react`, for React 18 and older, which set attributes rather than
 * properties on custom elements and cannot listen to their events (React 19 does both natively, and
 * the elements can be used as they are). Each wrapper renders the element, passes object props as
 * properties, and maps every `parley-*` event the element emits (for the inbox and the launcher,
 * the events of the elements inside them) to an `onParley*` prop with the typed event
 * (`onParleySend={(e) => e.detail.text}`). Importing this module registers the tags.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import {
  ParleyComposer as ComposerElement,
  ParleyConversationList as ConversationListElement,
  ParleyInbox as InboxElement,
  ParleyLauncher as LauncherElement,
  ParleySettings as SettingsElement,
  ParleyStatus as StatusElement,
  ParleyThread as ThreadElement,
} from '../define.ts';
import {
  ParleyConversationSeenEvent,
  ParleyConversationSelectEvent,
  ParleyFilterChangeEvent,
  ParleyLoadMoreEvent,
  ParleyLoadOlderEvent,
  ParleyRetryEvent,
  ParleyRetrySendEvent,
  ParleySearchEvent,
  ParleySectionChangeEvent,
  ParleySendEvent,
  ParleyTypingEvent,
  type ParleyEvent,
} from '../elements/events.ts';

type PascalCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>;

interface EventClass {
  readonly type: string;
  new (...args: never[]): ParleyEvent;
}

/** `parley-send` → `onParleySend`, typed with the event class. */
type EventProps<C extends EventClass> = { [K in C as `on${PascalCase<K['type']>}`]: EventName<InstanceType<K>> };

function events<const C extends readonly EventClass[]>(...classes: C): EventProps<C[number]> {
  const props: Record<string, string> = {};
  for (const { type } of classes) props[`on${type.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase())}`] = type;
  return props as EventProps<C[number]>;
}

export const ParleyComposer = createComponent({
  react: React,
  tagName: 'parley-composer',
  elementClass: ComposerElement,
  events: events(ParleySendEvent, ParleyTypingEvent),
  displayName: 'ParleyComposer',
});

export const ParleyConversationList = createComponent({
  react: React,
  tagName: 'parley-conversation-list',
  elementClass: ConversationListElement,
  events: events(ParleySearchEvent, ParleyFilterChangeEvent, ParleyConversationSelectEvent, ParleyLoadMoreEvent),
  displayName: 'ParleyConversationList',
});

// The roots emit no events of their own; these come from the elements inside, bubbling out composed.
export const ParleyInbox = createComponent({
  react: React,
  tagName: 'parley-inbox',
  elementClass: InboxElement,
  events: events(ParleyConversationSelectEvent, ParleySendEvent, ParleySearchEvent, ParleyFilterChangeEvent),
  displayName: 'ParleyInbox',
});

export const ParleyLauncher = createComponent({
  react: React,
  tagName: 'parley-launcher',
  elementClass: LauncherElement,
  events: events(ParleySendEvent),
  displayName: 'ParleyLauncher',
});

export const ParleyStatus = createComponent({
  react: React,
  tagName: 'parley-status',
  elementClass: StatusElement,
  events: events(ParleyRetryEvent),
  displayName: 'ParleyStatus',
});

export const ParleyThread = createComponent({
  react: React,
  tagName: 'parley-thread',
  elementClass: ThreadElement,
  events: events(ParleyRetrySendEvent, ParleyLoadOlderEvent, ParleyConversationSeenEvent),
  displayName: 'ParleyThread',
});

export const ParleySettings = createComponent({
  react: React,
  tagName: 'parley-settings',
  elementClass: SettingsElement,
  events: events(ParleySectionChangeEvent),
  displayName: 'ParleySettings',
});
