/**
 * The composer's files, loaded with the first one attached (button, paste or drop), so the first
 * open carries only the paperclip. Each file is checked before anything is uploaded: at most
 * {@link MAX_ATTACHMENTS}, not over the size limit, a type the bucket accepts, and content that
 * matches its declared type (the first bytes of images, PDF and ZIP-based files are sniffed, so
 * an HTML page named `.png` is refused). Images get their width and height here, so the thread can
 * reserve their box. Chosen files show as chips (name, size, remove); once sent, the chips show
 * the upload's progress with a cancel button until it is done. Names are only ever text.
 */
import type { TemplateResult, html as litHtml, nothing as litNothing } from 'lit';
import type { OutgoingFile } from '../../data/attachment.ts';
import type { formatString as format } from '../../i18n/strings.ts';
import { attachmentStrings, type AttachmentStrings } from '../../i18n/attachment-strings.ts';
import { cancel, uploadProgress, type Progress, type Watched } from '../../realtime/attachment-delivery.ts';

/** As attachment.ts (kept apart: this chunk imports nothing the app holds; see attachment-chunk.ts). */
const MAX_ATTACHMENTS = 10;
const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The bucket's hard cap (20270105000001_attachments_bucket.sql); a workspace may narrow it (checked before upload). */
export const MAX_FILE_BYTES = 10_000_000;

/** The bucket's allow-list: no SVG, no HTML, nothing a browser would run. */
export const ACCEPTED_TYPES: readonly string[] = [
  ...INLINE_IMAGE_TYPES, 'image/heic', 'image/heif', 'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'video/mp4', 'audio/mpeg',
];

const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** Signatures by type: the bytes at `at`. Types not listed (text) are checked for markup instead. */
const MAGIC: Readonly<Record<string, readonly (readonly [number, readonly number[]])[]>> = {
  'image/png': [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]],
  'image/jpeg': [[0, [0xff, 0xd8, 0xff]]],
  'image/gif': [[0, [0x47, 0x49, 0x46, 0x38]]],
  'image/webp': [[0, [0x52, 0x49, 0x46, 0x46]], [8, [0x57, 0x45, 0x42, 0x50]]],
  'image/heic': [[4, [0x66, 0x74, 0x79, 0x70]]],
  'image/heif': [[4, [0x66, 0x74, 0x79, 0x70]]],
  'video/mp4': [[4, [0x66, 0x74, 0x79, 0x70]]],
  'application/pdf': [[0, [0x25, 0x50, 0x44, 0x46, 0x2d]]],
  'application/zip': [[0, ZIP]],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [[0, ZIP]],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [[0, ZIP]],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': [[0, ZIP]],
  'application/msword': [[0, OLE]],
  'application/vnd.ms-excel': [[0, OLE]],
  'application/vnd.ms-powerpoint': [[0, OLE]],
};

/** Markup a text file must not start with: it would be a page, not text. */
const MARKUP = /^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe)/i;

/**
 * The end of a file's object key: ASCII letters, digits, `.`, `_` and `-` only (Storage refuses
 * anything else; accents are dropped, the rest becomes `_`), at most 96 characters.
 */
export function safeKeyName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\w.-]+/g, '_').slice(-96);
}

/** Whether the first bytes of a file fit its declared type. */
export function contentMatches(head: Uint8Array, type: string): boolean {
  const signatures = MAGIC[type];
  if (signatures) return signatures.every(([at, bytes]) => bytes.every((b, i) => head[at + i] === b));
  if (type === 'audio/mpeg') return (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33) || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0);
  return !MARKUP.test(new TextDecoder().decode(head));
}

export type Refusal = keyof Pick<AttachmentStrings, 'tooLarge' | 'typeRefused' | 'contentMismatch' | 'empty'>;

/** A file ready to send, or why it is refused (checked in this order). */
export async function checkFile(file: File): Promise<OutgoingFile | Refusal> {
  const type = file.type.toLowerCase();
  if (file.size === 0) return 'empty';
  if (file.size > MAX_FILE_BYTES) return 'tooLarge';
  if (!ACCEPTED_TYPES.includes(type)) return 'typeRefused';
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  if (!contentMatches(head, type)) return 'contentMismatch';
  // The name a message keeps: at most 255 characters, as the database allows.
  const name = [...file.name].slice(0, 255).join('') || 'file';
  const kept = { file, name, type, keyName: safeKeyName(name) };
  if (!INLINE_IMAGE_TYPES.includes(type)) return kept;
  // A file that does not decode as the image it claims to be is not sent as one.
  try {
    const bitmap = await createImageBitmap(file);
    const { width, height } = bitmap;
    bitmap.close();
    return { ...kept, width, height };
  } catch {
    return 'contentMismatch';
  }
}

/** Bytes as a person reads them (decimal units, as Storage counts them). */
export function formatSize(bytes: number, lang: string): string {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : bytes >= 1e3 ? [bytes / 1e3, 'kilobyte'] : [bytes, 'byte'];
  // Short "kB"/"MB", but narrow "B" for bytes (short spells "byte").
  return new Intl.NumberFormat(lang, {
    style: 'unit', unit, unitDisplay: unit === 'byte' ? 'narrow' : 'short', maximumFractionDigits: value < 10 ? 1 : 0,
  })
    .format(value);
}

const styles = `
  @layer parley {
    .files {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) * 0.5);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .chip {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto auto;
      align-items: center;
      gap: 0 calc(var(--_space) * 0.5);
      max-inline-size: 100%;
      min-inline-size: 8rem;
      box-sizing: border-box;
      padding: calc(var(--_space) * 0.25) calc(var(--_space) * 0.25) calc(var(--_space) * 0.25) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface-raised);
      font-size: 0.8125em;
    }
    .chip .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .chip .size {
      color: var(--_text-muted);
      font-variant-numeric: tabular-nums;
    }
    .chip progress {
      grid-column: 1 / -1;
      inline-size: 100%;
      block-size: 0.25rem;
      accent-color: var(--_accent);
    }
    .chip button {
      display: inline-grid;
      place-items: center;
      inline-size: 1.75rem;
      block-size: 1.75rem;
      padding: 0;
      border: none;
      border-radius: var(--_radius);
      background: none;
      color: inherit;
      font: inherit;
      font-size: 1.25em;
      line-height: 1;
      cursor: pointer;
    }
    .chip button:focus-visible {
      outline: var(--_focus-ring-width) solid var(--_focus-ring-color);
      outline-offset: 1px;
    }
    .refusals {
      margin: 0;
      color: var(--_danger);
      font-size: 0.8125em;
    }
    .refusals:empty {
      display: none;
    }
  }
`;

/** What the kit needs of its composer, handed over rather than imported (see attachment-chunk.ts). */
export interface FileKitHost extends HTMLElement {
  requestUpdate(): void;
  readonly kit: {
    readonly html: typeof litHtml;
    readonly nothing: typeof litNothing;
    readonly format: typeof format;
    /** The composer's language, for sizes and messages. */
    readonly lang: () => string;
    /** The `attachments` table of that language, once loaded (English otherwise). */
    readonly translated: () => Partial<AttachmentStrings> | undefined;
  };
}

interface Sent {
  readonly id: string;
  readonly files: readonly OutgoingFile[];
  readonly progress: Watched<Progress>;
  readonly stop: () => void;
}

let sheet: CSSStyleSheet | undefined;

/** A composer's chosen files, its sent uploads, and their chips. */
export class FileKit {
  readonly #host: FileKitHost;
  #chosen: OutgoingFile[] = [];
  #sent: Sent[] = [];
  #refusals: string[] = [];
  #checking = 0;

  constructor(host: FileKitHost) {
    this.#host = host;
    const root = host.shadowRoot;
    if (root) {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(styles);
      }
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
  }

  /** Files are still being checked: sending waits for them. */
  get busy(): boolean {
    return this.#checking > 0;
  }

  /** The files the next message carries. */
  ready(): readonly OutgoingFile[] {
    return this.#chosen;
  }

  get #lang(): string {
    return this.#host.kit.lang();
  }

  get #text(): AttachmentStrings {
    return { ...attachmentStrings, ...this.#host.kit.translated() };
  }

  async add(files: readonly File[]): Promise<void> {
    const t = this.#text;
    const lang = this.#lang;
    this.#refusals = [];
    this.#checking += 1;
    this.#host.requestUpdate();
    try {
      for (const file of files) {
        if (this.#chosen.length >= MAX_ATTACHMENTS) {
          this.#refusals.push(this.#host.kit.format(t.tooMany, { count: MAX_ATTACHMENTS }, lang));
          break;
        }
        const checked = await checkFile(file);
        if (typeof checked === 'string') {
          this.#refusals.push(this.#host.kit.format(t[checked], { name: file.name, size: formatSize(MAX_FILE_BYTES, lang) }, lang));
        } else {
          this.#chosen = [...this.#chosen, checked];
        }
      }
    } finally {
      this.#checking -= 1;
      this.#host.requestUpdate();
    }
  }

  /** The chosen files left in message `id`: their chips follow its upload until it is done. */
  sent(id: string): void {
    const files = this.#chosen;
    this.#chosen = [];
    this.#refusals = [];
    const progress = uploadProgress(id);
    const stop = progress.subscribe((value) => {
      if (value === null) this.#drop(id);
      this.#host.requestUpdate();
    });
    this.#sent = [...this.#sent, { id, files, progress, stop }];
  }

  #drop(id: string): void {
    const sent = this.#sent.find((s) => s.id === id);
    if (!sent) return;
    this.#sent = this.#sent.filter((s) => s !== sent);
    queueMicrotask(sent.stop);
  }

  #remove(file: OutgoingFile): void {
    this.#chosen = this.#chosen.filter((f) => f !== file);
    this.#host.requestUpdate();
    this.#host.focus();
  }

  #chip(file: OutgoingFile, t: AttachmentStrings, lang: string, upload?: { sent: Sent; progress: Progress }): TemplateResult {
    const { html, nothing } = this.#host.kit;
    const name = file.name;
    return html`<li class="chip" part="file-chip">
      <span class="name" dir="auto" title=${name}>${name}</span>
      <span class="size">${formatSize(file.file.size, lang)}</span>
      <button type="button" part="file-remove"
        aria-label=${this.#host.kit.format(upload ? t.cancel : t.remove, { name }, lang)}
        @click=${upload ? () => cancel(upload.sent.id) : () => this.#remove(file)}>×</button>
      ${upload ? html`<progress part="file-progress" aria-label=${this.#host.kit.format(t.uploading, { name }, lang)}
        max=${upload.progress?.total ?? 1} value=${upload.progress?.loaded ?? 0}></progress>` : nothing}
    </li>`;
  }

  render(): TemplateResult {
    const { html, nothing } = this.#host.kit;
    const t = this.#text;
    const lang = this.#lang;
    const chips = [
      ...this.#sent.flatMap((sent) => sent.files.map((file) => this.#chip(file, t, lang, { sent, progress: sent.progress.get() }))),
      ...this.#chosen.map((file) => this.#chip(file, t, lang)),
    ];
    return html`${chips.length > 0 ? html`<ul class="files" part="files" aria-label=${t.files}>${chips}</ul>` : nothing}
      <p class="refusals" part="file-refusals" role="alert">${this.#refusals.map((r) => html`<span>${r} </span>`)}</p>`;
  }
}
