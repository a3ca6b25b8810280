/**
 * The unread count in the tab: `(3) Inbox` in the title and a dot on the favicon. Remembers the
 * host's own title and icon and puts them back at zero, when turned off and on teardown; a title
 * the host changed meanwhile (a router) becomes the one it restores.
 */

const BADGE_SIZE = 32;
const BADGE_COLOR = '#d1242f';

export class TitleBadger {
  readonly #doc: Document;
  #title: string | null = null;
  #written: string | null = null;
  #icon: HTMLLinkElement | null = null;
  #iconHref: string | null = null;
  #addedIcon = false;
  #count = 0;
  #drawing = 0;
  readonly #favicon: boolean;

  /** `favicon: false` leaves the icon alone (a visitor's host page keeps its own). */
  constructor(doc: Document = document, options: { readonly favicon?: boolean } = {}) {
    this.#doc = doc;
    this.#favicon = options.favicon ?? true;
  }

  /** Shows `count` (restores at zero or below); `format` builds the title from the count and the host's. */
  show(count: number, format: (count: number, title: string) => string = (n, title) => `(${n}) ${title}`): void {
    if (count <= 0) {
      this.restore();
      return;
    }
    const doc = this.#doc;
    if (this.#title === null || doc.title !== this.#written) this.#title = doc.title;
    const title = format(count, this.#title);
    if (doc.title !== title) doc.title = title;
    this.#written = title;
    if (count !== this.#count) {
      this.#count = count;
      if (this.#favicon) this.#badgeIcon();
    }
  }

  restore(): void {
    this.#drawing++;
    this.#count = 0;
    if (this.#title !== null && this.#doc.title === this.#written) this.#doc.title = this.#title;
    this.#title = null;
    this.#written = null;
    if (this.#icon) {
      if (this.#addedIcon) this.#icon.remove();
      else if (this.#iconHref !== null) this.#icon.href = this.#iconHref;
    }
    this.#icon = null;
    this.#iconHref = null;
    this.#addedIcon = false;
  }

  #badgeIcon(): void {
    const doc = this.#doc;
    if (!this.#icon) {
      const found = doc.head.querySelector<HTMLLinkElement>('link[rel~="icon"]');
      if (found) {
        this.#icon = found;
        this.#iconHref = found.href;
      } else {
        const link = doc.createElement('link');
        link.rel = 'icon';
        doc.head.append(link);
        this.#icon = link;
        this.#addedIcon = true;
      }
    }
    const icon = this.#icon;
    const generation = ++this.#drawing;
    const draw = (image: HTMLImageElement | null): void => {
      if (generation !== this.#drawing) return;
      const href = badgedIcon(doc, image);
      if (href) icon.href = href;
    };
    if (!this.#iconHref) {
      draw(null);
      return;
    }
    const image = new Image();
    image.onload = () => draw(image);
    image.onerror = () => draw(null);
    image.src = this.#iconHref;
  }
}

/** The host's icon (when it loaded) with a red dot; null where canvas is unavailable. */
function badgedIcon(doc: Document, image: HTMLImageElement | null): string | null {
  const canvas = doc.createElement('canvas');
  canvas.width = BADGE_SIZE;
  canvas.height = BADGE_SIZE;
  const context = canvas.getContext('2d');
  if (!context) return null;
  const dot = () => {
    context.fillStyle = BADGE_COLOR;
    context.beginPath();
    context.arc(BADGE_SIZE * 0.7, BADGE_SIZE * 0.3, BADGE_SIZE * 0.3, 0, Math.PI * 2);
    context.fill();
  };
  if (image) context.drawImage(image, 0, 0, BADGE_SIZE, BADGE_SIZE);
  dot();
  try {
    return canvas.toDataURL('image/png');
  } catch {
    // A cross-origin icon taints the canvas for good: a fresh one with the dot alone.
    return image ? badgedIcon(doc, null) : null;
  }
}
