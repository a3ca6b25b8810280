import type { Locale } from './locale.ts';

/**
 * The bubble's unread count in each shipped language (`launcherStrings.unread`, `{count}` for the
 * number), for the stub's badge; compared with the
 * locales like OPEN_LABELS (open-labels.ts); apart from those, so only the watch's chunk carries them.
 */
export const UNREAD_LABELS: Readonly<Record<Locale, string>> = {
  en: '{count} unread', de: '{count} ungelesen', fr: 'Non lus : {count}', es: '{count} sin leer', pt: 'não lidas: {count}',
  ar: 'غير مقروءة: {count}', ja: '未読 {count} 件',
};
