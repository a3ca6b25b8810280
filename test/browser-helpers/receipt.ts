/**
 * The receipt word a thread row shows ("Sending…", "Seen"), or null: the words are generated
 * content of `.receipt` (row-nodes.ts), so this reads what the styles make visible, not the DOM's text.
 */
export function shownReceipt(row: Element | null | undefined): string | null {
  const receipt = row?.querySelector<HTMLElement>('.receipt');
  if (!receipt) return null;
  if (getComputedStyle(receipt, '::before').visibility === 'visible') return receipt.dataset['sending'] ?? null;
  if (getComputedStyle(receipt, '::after').visibility === 'visible') return receipt.dataset['seen'] ?? null;
  return null;
}
