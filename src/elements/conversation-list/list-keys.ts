/** The listbox's keys (ARIA listbox pattern with aria-activedescendant), as a pure decision. */

/** What a key does in a list of `length` options with the active one at `index` (-1: none). */
export type ListKeyAction = { readonly move: number } | { readonly select: number } | null;

export function listKeyAction(key: string, index: number, length: number): ListKeyAction {
  if (length === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return { move: index < 0 ? 0 : Math.min(index + 1, length - 1) };
    case 'ArrowUp':
      return { move: index < 0 ? 0 : Math.max(index - 1, 0) };
    case 'Home':
      return { move: 0 };
    case 'End':
      return { move: length - 1 };
    case 'Enter':
    case ' ':
      return { select: index < 0 ? 0 : index };
    default:
      return null;
  }
}
