// Apart from strings.ts: the composer's file chips load on demand (when a file is attached), and
// so do their strings. `{name}` is the file's name, `{size}` a size as the chip shows it.
export const attachmentStrings = {
  /** The chip list's accessible name. */
  files: 'Attached files',
  /** A chip's remove / cancel button. */
  remove: 'Remove {name}',
  cancel: 'Cancel sending {name}',
  /** A chip's progress bar. */
  uploading: 'Uploading {name}',
  tooLarge: '{name} is too large: files can be at most {size}.',
  typeRefused: '{name} cannot be sent: this type of file is not accepted.',
  contentMismatch: '{name} cannot be sent: its content does not match its type.',
  tooMany: 'A message can carry at most {count} files.',
  empty: '{name} is empty.',
};
export type AttachmentStrings = { readonly [K in keyof typeof attachmentStrings]: string };
