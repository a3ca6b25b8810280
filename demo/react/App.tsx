import { useCallback, useEffect, useState } from 'react';
import type { ParleyConversationSelectEvent, ParleySendEvent } from '../../src/elements/events.ts';
import type { InboxStrings } from '../../src/i18n/strings.ts';
import { createHostClient, describeEvent, loadConversation, type ConversationCard, type LoggedEvent } from '../shared/host.ts';
import { DEMO_LOGINS } from '../shared/logins.ts';

/** The app's own supabase-js client, handed to the inbox as a property. */
const client = createHostClient('parley-demo-react');

/** Module constants: a new object on every render would set the property (and re-render) each time. */
const strings: Partial<InboxStrings> = { title: 'Support inbox' };

export function App() {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [card, setCard] = useState<ConversationCard | null>(null);
  const [events, setEvents] = useState<readonly LoggedEvent[]>([]);

  const onSelect = useCallback((event: ParleyConversationSelectEvent) => {
    setSelectedId(event.detail.id);
    setEvents((list) => [describeEvent(event), ...list].slice(0, 6));
  }, []);
  const onSend = useCallback((event: ParleySendEvent) => {
    setEvents((list) => [describeEvent(event), ...list].slice(0, 6));
  }, []);

  useEffect(() => {
    if (!selectedId) return undefined;
    const abort = new AbortController();
    loadConversation(client, selectedId, abort.signal).then((found) => {
      if (!abort.signal.aborted) setCard(found);
    }, () => undefined);
    return () => abort.abort();
  }, [selectedId]);

  return (
    <div className="framework-page">
      <header className="bar">
        <a className="brand" href="/">
          <svg viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>
          Parley
        </a>
        <span className="page"><span className="hide-narrow">Agent console in </span><span className="tag">React 19</span></span>
        <nav aria-label="Demo">
          <a href="/vue/">Vue</a>
          <a href="/customer/" target="_blank">Shop ↗</a>
        </nav>
      </header>
      <main className="workspace">
        <h1 className="visually-hidden">Agent console</h1>
        <parley-inbox
          client={client}
          strings={strings}
          onparley-conversation-select={onSelect}
          onparley-send={onSend}
        />
        <aside className="sidebar" aria-label="The React app">
          <section className="selected" aria-labelledby="selected-title">
            <h2 id="selected-title">Selected in React</h2>
            {selectedId === null ? (
              <p className="hint">Pick a conversation: its <code>parley-conversation-select</code> event sets this React state.</p>
            ) : (
              <dl>
                <div><dt>Customer</dt><dd>{card?.id === selectedId ? card.customer : '…'}</dd></div>
                <div className="more"><dt>Subject</dt><dd>{card?.id === selectedId ? (card.subject ?? 'No subject') : '…'}</dd></div>
                <div className="more status"><dt>Status</dt><dd>{card?.id === selectedId ? card.status : '…'}</dd></div>
                <div><dt>Id</dt><dd><code title={selectedId}>{selectedId.slice(0, 8)}…</code></dd></div>
              </dl>
            )}
          </section>
          <section className="events" aria-labelledby="events-title">
            <h2 id="events-title">Events React heard</h2>
            {events.length === 0 ? <p className="hint">None yet.</p> : (
              <ol aria-live="polite">
                {events.map((entry) => (
                  <li key={entry.key}><code>{entry.type}</code> <span>{entry.summary}</span> <time>{entry.time}</time></li>
                ))}
              </ol>
            )}
          </section>
          <details className="logins">
            <summary>Demo logins</summary>
            <div className="panel">
              <table className="login-table">
                <tbody>
                  {DEMO_LOGINS.map((login) => (
                    <tr key={login.email}><td><code>{login.email}</code></td><td><code>{login.password}</code></td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </aside>
      </main>
    </div>
  );
}
