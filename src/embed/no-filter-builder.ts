/**
 * Stands in for realtime-js's `postgres_changes` filter builder in the bundled builds, like
 * no-presence.ts: Parley writes its filters as strings (`conversation_id=eq.<id>`). A channel still
 * takes a builder from another copy of realtime-js (the host's), which it recognizes by its
 * `build()`; making one from this copy fails loudly.
 */
const unavailable = (): never => {
  throw new Error("realtime-js's filter builder is not included in the Parley embed; write the filter as a string.");
};

export class RealtimePostgresFilterBuilder {
  build = unavailable;
}

export const postgresChangesFilter = unavailable;
