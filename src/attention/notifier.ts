/**
 * Desktop notifications over the Notification API. Permission is asked only from a user's click
 * (the settings toggle); showing never asks. A click on a notification focuses the tab and hands
 * over what it was about. Where the constructor is refused (Android Chrome wants a service worker)
 * nothing is shown and nothing is thrown.
 */

export type NotificationPermissionState = 'default' | 'granted' | 'denied' | 'unsupported';

/** The part of the Notification API used here. */
export interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Notification;
}

export interface ShowNotification {
  readonly title: string;
  readonly body: string;
  /** Replaces an earlier notification with the same tag (one per conversation). */
  readonly tag: string;
  readonly onClick: () => void;
}

export class Notifier {
  readonly #api: NotificationApi | null;
  /**
   * The browser's answer, read once: in Chromium `Notification.permission` asks the browser
   * process synchronously, and the console's header reads it on every render (issue 12: a message
   * costs the page almost nothing). Read again after a request and when site settings change it.
   */
  #permission: NotificationPermission | undefined;

  constructor(api: NotificationApi | null = (globalThis as { Notification?: NotificationApi }).Notification ?? null) {
    this.#api = api;
    if (api && api === (globalThis as { Notification?: NotificationApi }).Notification) this.#watch();
  }

  get permission(): NotificationPermissionState {
    if (!this.#api) return 'unsupported';
    this.#permission ??= this.#api.permission;
    return this.#permission;
  }

  /** The user can change the answer in the browser's site settings while the console is open. */
  #watch(): void {
    const forget = (): void => {
      this.#permission = undefined;
    };
    globalThis.navigator?.permissions?.query({ name: 'notifications' }).then(
      (status) => status.addEventListener('change', forget),
      () => undefined,
    );
  }

  /** Asks the browser; call it only from a user gesture. Resolves to whether notifications may show. */
  async request(): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    if (this.permission !== 'default') return this.permission === 'granted';
    try {
      return (await api.requestPermission()) === 'granted';
    } catch {
      return false;
    } finally {
      this.#permission = undefined;
    }
  }

  /** Shows one when permission is granted; returns whether it did. */
  show(notice: ShowNotification): boolean {
    const api = this.#api;
    if (!api || this.permission !== 'granted') return false;
    let notification: Notification;
    try {
      notification = new api(notice.title, { body: notice.body, tag: notice.tag });
    } catch {
      return false;
    }
    notification.addEventListener('click', () => {
      globalThis.focus?.();
      notice.onClick();
      notification.close();
    });
    return true;
  }
}
