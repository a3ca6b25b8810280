/**
 * Stands in for realtime-js's `RealtimePresence` (with Phoenix's Presence behind it) in the embed
 * (`dist/parley.js` and its chunk), like no-webauthn.ts: the visitor's launcher never tracks or
 * reads presence (only the console does, for agents in a conversation, and the IIFE build that holds
 * it keeps the real module). realtime-js builds one for every channel, so construction works;
 * reading the presence state fails loudly. About 0.8 KB of the first open's brotli budget.
 */
export const REALTIME_PRESENCE_LISTEN_EVENTS = { SYNC: 'sync', JOIN: 'join', LEAVE: 'leave' } as const;

export default class RealtimePresence {
  get state(): never {
    throw new Error('Realtime presence is not included in the Parley embed; use your own supabase-js client for it.');
  }
}
