/**
 * What the thread loads the first time a message with attachments is shown: the thumbnail and card
 * element, the image viewer, and (through them, on demand again) storage-js. A chunk of its own, so
 * the first open does not carry them.
 */
import { ParleyAttachment } from './attachment.ts';
import { ParleyImageViewer } from './image-viewer.ts';

/** Registers the elements (here rather than at the top: the bundler treats the sources as free of side effects). */
export function defineAttachments(): void {
  ParleyImageViewer.define('parley-image-viewer');
  ParleyAttachment.define('parley-attachment');
}

export { ParleyAttachment, ParleyImageViewer };
