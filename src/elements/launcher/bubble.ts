/**
 * The launcher's bubble, shared by the full launcher (launcher.styles.ts, launcher.ts) and the
 * embed's Lit-free stub (src/embed), which must look the same before and after the chat loads.
 * Plain strings, so the stub carries no Lit.
 */

/** The chat icon's SVG path (24×24 viewBox). */
export const BUBBLE_ICON_PATH = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';

/** Where the widget sits: declarations for `.base`. */
export const BASE_POSITION_CSS = `
  position: fixed;
  inset-block-end: var(--parley-launcher-offset, 1.25rem);
  inset-inline-end: var(--parley-launcher-offset, 1.25rem);
  z-index: var(--parley-launcher-z-index, 2147483000);
  display: flex;
  flex-direction: column;
  align-items: flex-end;
`;

/** The round button, its focus ring and its icon. */
export const BUBBLE_CSS = `
  .bubble {
    position: relative;
    inline-size: 3.5rem;
    block-size: 3.5rem;
    border: 0;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
    display: grid;
    place-items: center;
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
  }

  .bubble:focus-visible {
    outline: 3px solid var(--_focus-ring-color);
    outline-offset: 3px;
  }

  .bubble svg {
    inline-size: 1.6rem;
    block-size: 1.6rem;
  }
`;
