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

  constructor(api: NotificationApi | null = (globalThis as { Notification?: NotificationApi }).Notification ?? null) {
    this.#api = api;
  }

  get permission(): NotificationPermissionState {
    return this.#api ? this.#api.permission : 'unsupported';
  }

  /** Asks the browser; call it only from a user gesture. Resolves to whether notifications may show. */
  async request(): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    if (api.permission !== 'default') return api.permission === 'granted';
    try {
      return (await api.requestPermission()) === 'granted';
    } catch {
      return false;
    }
  }

  /** Shows one when permission is granted; returns whether it did. */
  show(notice: ShowNotification): boolean {
    const api = this.#api;
    if (!api || api.permission !== 'granted') return false;
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
