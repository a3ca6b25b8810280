/**
 * Desktop notifications over the Notification API. Permission is asked only from a user's click
 * (the settings toggle); showing never asks. A click on a notification focuses the tab and hands
 * over what it was about. Where the constructor is refused (Android Chrome wants a service worker)
 * nothing is shown and nothing is thrown.
 *
 * `permission` is read on every render of the console's header, and Chromium answers
 * `Notification.permission` from the browser process each time (milliseconds on a busy machine, paid
 * before the message the render was for is shown): the state is kept here, and read again when the
 * Permissions API says it changed, after a request, and before showing one.
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

/** The part of the Permissions API used here: whether notifications' permission changed. */
export interface PermissionsApi {
  query(descriptor: { name: 'notifications' }): Promise<Pick<PermissionStatus, 'addEventListener' | 'removeEventListener'>>;
}

export class Notifier {
  readonly #api: NotificationApi | null;
  readonly #permissions: PermissionsApi | null;
  #permission: NotificationPermissionState | null = null;

  constructor(
    api: NotificationApi | null = (globalThis as { Notification?: NotificationApi }).Notification ?? null,
    permissions: PermissionsApi | null = (globalThis.navigator as { permissions?: PermissionsApi } | undefined)?.permissions ?? null,
  ) {
    this.#api = api;
    this.#permissions = permissions;
  }

  get permission(): NotificationPermissionState {
    return this.#permission ?? this.#read();
  }

  /**
   * Calls `listener` when the browser's answer changes outside a {@link request} (its site
   * settings); returns the unsubscribe. Without the Permissions API the state is read again at each
   * request and show only.
   */
  watch(listener: () => void): () => void {
    let stopped = false;
    let unlisten = (): void => undefined;
    const onChange = (): void => {
      this.#read();
      listener();
    };
    if (this.#api && this.#permissions) {
      this.#permissions.query({ name: 'notifications' }).then((status) => {
        if (stopped) return;
        status.addEventListener('change', onChange);
        unlisten = () => status.removeEventListener('change', onChange);
      }, () => undefined);
    }
    return () => {
      stopped = true;
      unlisten();
    };
  }

  /** Asks the browser; call it only from a user gesture. Resolves to whether notifications may show. */
  async request(): Promise<boolean> {
    const api = this.#api;
    if (!api) return false;
    const before = this.#read();
    if (before !== 'default') return before === 'granted';
    try {
      const answer = await api.requestPermission();
      this.#read();
      return answer === 'granted';
    } catch {
      this.#read();
      return false;
    }
  }

  /** Shows one when permission is granted; returns whether it did. */
  show(notice: ShowNotification): boolean {
    const api = this.#api;
    if (!api || this.#read() !== 'granted') return false;
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

  #read(): NotificationPermissionState {
    this.#permission = this.#api ? this.#api.permission : 'unsupported';
    return this.#permission;
  }
}
