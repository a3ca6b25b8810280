/**
 * The reply email's and the unsubscribe page's text in every language Parley ships (src/i18n/locale.ts),
 * kept here in the worker: none of it belongs in the widget's bundle. The workspace's default
 * language picks the table; a language Parley lacks gets English. `{name}` placeholders are filled
 * with {@link fill}, which never reads placeholders inside the values (a brand named "{link}" stays
 * "{link}").
 */
import { isRightToLeft, localeOf, type Locale } from '../../../src/i18n/locale.ts';

export interface MailStrings {
  readonly subject: string;
  readonly oneReply: string;
  readonly manyReplies: string;
  readonly wrote: string;
  /** The names of a reply's files (the mail carries no files: the link opens them). */
  readonly files: string;
  readonly continueLink: string;
  readonly why: string;
  readonly stopLink: string;
  readonly confirmTitle: string;
  readonly confirmText: string;
  readonly confirmButton: string;
  readonly doneTitle: string;
  readonly doneText: string;
  readonly invalidTitle: string;
  readonly invalidText: string;
  readonly unknownTitle: string;
  readonly unknownText: string;
  readonly retryTitle: string;
  readonly retryText: string;
}

const en: MailStrings = {
  subject: 'New reply from {brand}',
  oneReply: 'You have a new reply from {brand}.',
  manyReplies: 'You have {count} new replies from {brand}.',
  wrote: '{name} wrote:',
  files: 'Attached: {names}',
  continueLink: 'Continue the conversation: {link}',
  why: 'You get this email because you gave this address in a chat with {brand} and had not seen the reply yet.',
  stopLink: 'Stop these emails: {link}',
  confirmTitle: 'Stop reply emails?',
  confirmText: 'You will no longer get an email when a reply to your chat is waiting for you.',
  confirmButton: 'Unsubscribe',
  doneTitle: 'You are unsubscribed',
  doneText: 'You will get no more reply emails. Your conversations are still there.',
  invalidTitle: 'This link is not valid',
  invalidText: 'The unsubscribe link is incomplete. Copy the whole link from the email. Nothing changed.',
  unknownTitle: 'This link is not known',
  unknownText: 'No reply emails go out with this link. Nothing changed.',
  retryTitle: 'Please try again',
  retryText: 'We could not record your choice just now. Nothing changed; please try again later.',
};

const de: MailStrings = {
  subject: 'Neue Antwort von {brand}',
  oneReply: 'Sie haben eine neue Antwort von {brand}.',
  manyReplies: 'Sie haben {count} neue Antworten von {brand}.',
  wrote: '{name} schrieb:',
  files: 'Angehängt: {names}',
  continueLink: 'Unterhaltung fortsetzen: {link}',
  why: 'Sie erhalten diese E-Mail, weil Sie diese Adresse in einem Chat mit {brand} angegeben und die Antwort noch nicht gesehen haben.',
  stopLink: 'Diese E-Mails abbestellen: {link}',
  confirmTitle: 'Antworten per E-Mail abbestellen?',
  confirmText: 'Sie bekommen dann keine E-Mail mehr, wenn in Ihrem Chat eine Antwort auf Sie wartet.',
  confirmButton: 'Abbestellen',
  doneTitle: 'Sie haben abbestellt',
  doneText: 'Sie bekommen keine Antworten mehr per E-Mail. Ihre Unterhaltungen bleiben erhalten.',
  invalidTitle: 'Dieser Link ist ungültig',
  invalidText: 'Der Abmeldelink ist unvollständig. Kopieren Sie den ganzen Link aus der E-Mail. Es wurde nichts geändert.',
  unknownTitle: 'Dieser Link ist unbekannt',
  unknownText: 'Über diesen Link werden keine Antworten per E-Mail verschickt. Es wurde nichts geändert.',
  retryTitle: 'Bitte versuchen Sie es erneut',
  retryText: 'Ihre Wahl konnte gerade nicht gespeichert werden. Es wurde nichts geändert; bitte versuchen Sie es später erneut.',
};

const fr: MailStrings = {
  subject: 'Nouvelle réponse de {brand}',
  oneReply: 'Vous avez une nouvelle réponse de {brand}.',
  manyReplies: 'Vous avez {count} nouvelles réponses de {brand}.',
  wrote: '{name} a écrit :',
  files: 'Pièces jointes : {names}',
  continueLink: 'Reprendre la conversation : {link}',
  why: 'Vous recevez cet e-mail car vous avez donné cette adresse dans un chat avec {brand} et n’aviez pas encore vu la réponse.',
  stopLink: 'Ne plus recevoir ces e-mails : {link}',
  confirmTitle: 'Ne plus recevoir les réponses par e-mail ?',
  confirmText: 'Vous ne recevrez plus d’e-mail quand une réponse vous attend dans votre chat.',
  confirmButton: 'Se désabonner',
  doneTitle: 'Désabonnement confirmé',
  doneText: 'Vous ne recevrez plus de réponses par e-mail. Vos conversations sont toujours là.',
  invalidTitle: 'Ce lien n’est pas valide',
  invalidText: 'Le lien de désabonnement est incomplet. Copiez le lien entier depuis l’e-mail. Rien n’a changé.',
  unknownTitle: 'Ce lien est inconnu',
  unknownText: 'Aucun e-mail de réponse n’est envoyé avec ce lien. Rien n’a changé.',
  retryTitle: 'Veuillez réessayer',
  retryText: 'Votre choix n’a pas pu être enregistré pour l’instant. Rien n’a changé ; veuillez réessayer plus tard.',
};

const es: MailStrings = {
  subject: 'Nueva respuesta de {brand}',
  oneReply: 'Tienes una nueva respuesta de {brand}.',
  manyReplies: 'Tienes {count} respuestas nuevas de {brand}.',
  wrote: '{name} escribió:',
  files: 'Adjuntos: {names}',
  continueLink: 'Continúa la conversación: {link}',
  why: 'Recibes este correo porque diste esta dirección en un chat con {brand} y aún no habías visto la respuesta.',
  stopLink: 'Dejar de recibir estos correos: {link}',
  confirmTitle: '¿Dejar de recibir respuestas por correo?',
  confirmText: 'Ya no recibirás un correo cuando te espere una respuesta en tu chat.',
  confirmButton: 'Darme de baja',
  doneTitle: 'Te has dado de baja',
  doneText: 'No recibirás más respuestas por correo. Tus conversaciones siguen ahí.',
  invalidTitle: 'Este enlace no es válido',
  invalidText: 'El enlace para darte de baja está incompleto. Copia el enlace completo del correo. No ha cambiado nada.',
  unknownTitle: 'No reconocemos este enlace',
  unknownText: 'Con este enlace no se envían respuestas por correo. No ha cambiado nada.',
  retryTitle: 'Inténtalo de nuevo',
  retryText: 'No hemos podido guardar tu elección ahora mismo. No ha cambiado nada; inténtalo más tarde.',
};

const pt: MailStrings = {
  subject: 'Nova resposta de {brand}',
  oneReply: 'Você tem uma nova resposta de {brand}.',
  manyReplies: 'Você tem {count} novas respostas de {brand}.',
  wrote: '{name} escreveu:',
  files: 'Anexos: {names}',
  continueLink: 'Continue a conversa: {link}',
  why: 'Você recebe este e-mail porque informou este endereço em um chat com {brand} e ainda não tinha visto a resposta.',
  stopLink: 'Parar de receber estes e-mails: {link}',
  confirmTitle: 'Parar de receber respostas por e-mail?',
  confirmText: 'Você não vai mais receber um e-mail quando houver uma resposta esperando no seu chat.',
  confirmButton: 'Cancelar inscrição',
  doneTitle: 'Inscrição cancelada',
  doneText: 'Você não vai mais receber respostas por e-mail. Suas conversas continuam lá.',
  invalidTitle: 'Este link não é válido',
  invalidText: 'O link para cancelar a inscrição está incompleto. Copie o link inteiro do e-mail. Nada mudou.',
  unknownTitle: 'Este link não é conhecido',
  unknownText: 'Nenhum e-mail de resposta é enviado com este link. Nada mudou.',
  retryTitle: 'Tente novamente',
  retryText: 'Não foi possível registrar sua escolha agora. Nada mudou; tente novamente mais tarde.',
};

const ar: MailStrings = {
  subject: 'رد جديد من {brand}',
  oneReply: 'لديك رد جديد من {brand}.',
  // Arabic counts take the dual and other plural forms: a label with the number avoids them all.
  manyReplies: 'عدد الردود الجديدة من {brand}: {count}.',
  wrote: 'كتب {name}:',
  files: 'المرفقات: {names}',
  continueLink: 'تابع المحادثة: {link}',
  why: 'تصلك هذه الرسالة لأنك أدخلت هذا العنوان في محادثة مع {brand} ولم تطّلع على الرد بعد.',
  stopLink: 'إيقاف هذه الرسائل: {link}',
  confirmTitle: 'إيقاف الردود عبر البريد؟',
  confirmText: 'لن تصلك رسالة بعد الآن عندما ينتظرك رد في محادثتك.',
  confirmButton: 'إلغاء الاشتراك',
  doneTitle: 'تم إلغاء اشتراكك',
  doneText: 'لن تصلك ردود عبر البريد بعد الآن. محادثاتك باقية كما هي.',
  invalidTitle: 'هذا الرابط غير صالح',
  invalidText: 'رابط إلغاء الاشتراك ناقص. انسخ الرابط كاملًا من الرسالة. لم يتغير شيء.',
  unknownTitle: 'هذا الرابط غير معروف',
  unknownText: 'لا تُرسل أي ردود عبر البريد بهذا الرابط. لم يتغير شيء.',
  retryTitle: 'يُرجى المحاولة مرة أخرى',
  retryText: 'تعذّر تسجيل اختيارك الآن. لم يتغير شيء؛ يُرجى المحاولة لاحقًا.',
};

const ja: MailStrings = {
  subject: '{brand}から新しい返信があります',
  oneReply: '{brand}から新しい返信が1件あります。',
  manyReplies: '{brand}から新しい返信が{count}件あります。',
  wrote: '{name}からの返信：',
  files: '添付ファイル：{names}',
  continueLink: '会話を続ける：{link}',
  why: 'チャットで{brand}にこのメールアドレスを入力し、まだ返信をご覧になっていないため、このメールをお送りしています。',
  stopLink: 'このメールの配信を停止する：{link}',
  confirmTitle: '返信のメール通知を停止しますか？',
  confirmText: 'チャットに返信が届いても、メールでお知らせしなくなります。',
  confirmButton: '配信を停止',
  doneTitle: '配信を停止しました',
  doneText: '今後、返信のメールは届きません。会話はそのまま残っています。',
  invalidTitle: 'このリンクは無効です',
  invalidText: '配信停止のリンクが不完全です。メールからリンク全体をコピーしてください。何も変更されていません。',
  unknownTitle: 'このリンクは登録されていません',
  unknownText: 'このリンクで送られる返信のメールはありません。何も変更されていません。',
  retryTitle: 'もう一度お試しください',
  retryText: '現在、選択内容を保存できませんでした。何も変更されていません。しばらくしてからもう一度お試しください。',
};

/** Every shipped locale has a table: adding one to LOCALES fails to compile until it is written here. */
export const MAIL_STRINGS: Readonly<Record<Locale, MailStrings>> = { en, de, fr, es, pt, ar, ja };

/** The unsubscribe link's query parameter naming its page's language (absent: English). */
export const LANGUAGE_PARAM = 'lang';

export interface MailLanguage {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  readonly strings: MailStrings;
}

/** The table for a BCP 47 tag (`pt-BR` → pt); English for null or a language Parley lacks. */
export function mailLanguage(tag: string | null | undefined): MailLanguage {
  const locale = localeOf(tag);
  return { locale, dir: isRightToLeft(locale) ? 'rtl' : 'ltr', strings: MAIL_STRINGS[locale] };
}

/** `{name}` → value, in one pass over the template only. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}
