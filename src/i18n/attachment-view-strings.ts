// Apart from strings.ts (and the composer's attachment-strings.ts): the thread's attachments
// render from a chunk loaded on demand, and so do their strings.
/** What the thread's attachments (thumbnails, file cards) and the image viewer say. */
export const attachmentViewStrings = {
  /** A file card's download link, and the viewer's download button. */
  download: 'Download',
  /** The accessible name of a file card's download link: `{name}` is the file's name. */
  downloadFile: 'Download {name}',
  /** The accessible name of an image thumbnail, which opens the viewer. */
  openImage: 'Open image {name}',
  close: 'Close',
  previous: 'Previous image',
  next: 'Next image',
  /** Which image the viewer shows of the conversation's: `{index}` of `{count}`. */
  position: '{index} of {count}',
  /** A thumbnail or file link could not be fetched. */
  failed: 'Could not load this file.',
  retry: 'Retry',
};
export type AttachmentViewStrings = { readonly [K in keyof typeof attachmentViewStrings]: string };
