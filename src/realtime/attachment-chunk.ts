/**
 * What loads with the first attached file, as one chunk: the composer's file checks and chips and
 * the delivery of files to Storage (storage-js follows in a chunk of its own when uploading). One
 * entry for both, so the composer and the outbox share it, and neither imports any module the app
 * holds (they are handed what they need), so the bundler keeps the app's modules in the app chunk.
 */
export { FileKit } from '../elements/composer/composer-files.ts';
export { cancel, deliver, forget, keep, uploadProgress } from './attachment-delivery.ts';
