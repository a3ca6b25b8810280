// Apart from strings.ts: the buttons load on demand, and so do their strings.
/** `<parley-quick-replies>`'s visible strings. */
export const quickRepliesStrings = {
  /** The group's accessible name: the buttons answer the message above them. */
  label: 'Suggested replies',
};
export type QuickRepliesStrings = { readonly [K in keyof typeof quickRepliesStrings]: string };
