/** The seeded agent accounts (supabase/seed.sql), shown on the demo pages. */
export const DEMO_LOGINS = [
  { email: 'admin@parley.test', password: 'parley-admin', who: 'Maya Chen, admin' },
  { email: 'agent@parley.test', password: 'parley-agent', who: 'Sam Rivera, agent' },
  { email: 'jordan@parley.test', password: 'parley-agent', who: 'Jordan Blake, agent' },
] as const;

/**
 * Closes open `details.logins` disclosures whose panel floats over the page on Escape or a click
 * outside them, like a menu (a panel shown in place stays open).
 */
export function closeLoginsOnOutsideClick(doc: Document = document): void {
  const floating = (details: HTMLDetailsElement) => {
    const panel = details.querySelector('.panel');
    return panel !== null && getComputedStyle(panel).position === 'absolute';
  };
  const close = (except?: EventTarget | null) => {
    for (const details of doc.querySelectorAll<HTMLDetailsElement>('details.logins[open]')) {
      if ((except instanceof Node && details.contains(except)) || !floating(details)) continue;
      details.open = false;
    }
  };
  doc.addEventListener('pointerdown', (event) => close(event.target));
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const open = [...doc.querySelectorAll<HTMLDetailsElement>('details.logins[open]')].find(floating);
    if (!open) return;
    close();
    open.querySelector('summary')?.focus();
  });
}
