/**
 * The console's keyboard shortcuts as data: which key runs which command, and which key presses
 * belong to a field instead (a "j" typed in the composer stays a "j"). keyboard-controller.ts acts
 * on them; the overlay lists them from the same table, so the two cannot disagree.
 */

export const SHORTCUT_COMMANDS = ['next', 'previous', 'reply', 'note', 'resolve', 'assign', 'search', 'help'] as const;
export type ShortcutCommand = (typeof SHORTCUT_COMMANDS)[number];

/** Single keys, as `KeyboardEvent.key` names them (layout-independent: "/" is "/" wherever it sits). */
const PLAIN_KEYS: ReadonlyMap<string, ShortcutCommand> = new Map([
  ['j', 'next'], ['k', 'previous'], ['r', 'reply'], ['n', 'note'], ['e', 'resolve'], ['a', 'assign'], ['/', 'search'], ['?', 'help'],
]);

/** Alt with an arrow, for those who prefer arrows to j and k (Alt: plain arrows scroll and move in lists). */
const ALT_KEYS: ReadonlyMap<string, ShortcutCommand> = new Map([['ArrowDown', 'next'], ['ArrowUp', 'previous']]);

/** The keys of each command as the overlay shows them, one `<kbd>` each. */
export const SHORTCUT_LABELS: Readonly<Record<ShortcutCommand, readonly string[]>> = {
  next: ['j', 'Alt+↓'],
  previous: ['k', 'Alt+↑'],
  reply: ['r'],
  note: ['n'],
  resolve: ['e'],
  assign: ['a'],
  search: ['/'],
  help: ['?'],
};

/** What a shortcut needs of a key press (a `KeyboardEvent` fits). */
export interface KeyPress {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly isComposing: boolean;
}

/**
 * The command a key press asks for, or null. Ctrl and Meta belong to the browser and the system
 * (Ctrl+K, Cmd+J), and a press that is part of an IME composition belongs to the text being composed.
 */
export function shortcutFor(press: KeyPress): ShortcutCommand | null {
  if (press.isComposing || press.ctrlKey || press.metaKey) return null;
  return (press.altKey ? ALT_KEYS : PLAIN_KEYS).get(press.key) ?? null;
}

/** Inputs that take no text: letters pressed on them are free for shortcuts. */
const NON_TEXT_INPUTS: ReadonlySet<string> = new Set(['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit']);

/**
 * Whether a key press happened in something that takes typing (a text input, a textarea, a
 * select, an editable region) or in an alert dialog that waits for an answer: `path` is the
 * event's `composedPath()`, which sees through shadow roots.
 */
export function inField(path: readonly EventTarget[]): boolean {
  return path.some((node) => {
    if (!(node instanceof HTMLElement)) return false;
    if (node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement || node.isContentEditable) return true;
    if (node instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(node.type);
    return node.getAttribute('role') === 'alertdialog';
  });
}
