/**
 * A message's attachments in its row (issue 16), before their element loads: one
 * `<parley-attachment>` per file, already the size it will have, so the thread never jumps when
 * the chunk or an image arrives. An image's box has the image's aspect ratio and a width capped to
 * the bubble and to a thumbnail's size; a file card has a fixed height (thread.styles.ts). The
 * elements (thumbnails, cards, the viewer) come in their own chunk, loaded the first time a message
 * with attachments is shown.
 */
import { isInlineImage, type Attachment } from '../../data/attachment.ts';
import type {} from '../attachments/attachment.ts';

/** A thumbnail's largest box, CSS pixels. */
const MAX_WIDTH = 280;
const MAX_HEIGHT = 240;

let chunk: Promise<void> | undefined;

/** Loads and registers the attachment elements once (again after a failure, at the next row). */
function load(): void {
  chunk ??= import('../attachments/attachments-chunk.ts').then((m) => m.defineAttachments(), () => {
    chunk = undefined;
  });
}

/** The files of a message (`pending`: of a send not yet stored, shown but not fetched). */
export function attachmentsNode(attachments: readonly Attachment[], pending = false): HTMLElement {
  const holder = document.createElement('div');
  holder.className = 'attachments';
  holder.setAttribute('part', 'attachments');
  for (const a of attachments) {
    // A property set before the element is defined is kept by Lit and applied on upgrade.
    const node = holder.appendChild(document.createElement('parley-attachment'));
    node.attachment = a;
    if (pending) node.setAttribute('pending', '');
    if (isInlineImage(a)) {
      // Without dimensions (an image from another client) a 4:3 box: it may crop, it never jumps.
      const width = a.width ?? 4;
      const height = a.height ?? 3;
      const scale = Math.min(MAX_WIDTH / width, MAX_HEIGHT / height, a.width ? 1 : Infinity);
      // CSSOM, not a style attribute: allowed under a page's strict style-src CSP.
      node.style.inlineSize = `min(100%, ${Math.round(width * scale)}px)`;
      node.style.aspectRatio = `${width} / ${height}`;
      node.dataset['kind'] = 'image';
    }
  }
  load();
  return holder;
}
