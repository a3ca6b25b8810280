// Apart from strings.ts: the form loads on demand (continue by email), and so do its strings.
/** `<parley-email-sign-in>`'s visible strings; `{email}` and `{seconds}` are filled in. */
export const emailSignInStrings = {
  title: 'Continue by email',
  /** Under the title, before a code was asked for. */
  intro: 'Enter the email you used before. We will send you a code to see your conversations.',
  /** Instead of the intro when a reply email's link could not sign the visitor in. */
  expired: 'This link has expired. Enter your email to get a code.',
  emailLabel: 'Your email',
  sendCode: 'Send code',
  /** Whether or not `{email}` has an account (the form never says). */
  codeSent: 'We sent a code to {email}. It may take a minute to arrive.',
  codeLabel: '6-digit code',
  verify: 'Continue',
  busy: 'Just a moment…',
  /** Mails another code (after the wait GoTrue asks for). */
  resend: 'Send a new code',
  /** Back to the email step, to correct the address. */
  otherEmail: 'Use another email',
  /** Leaves the form for the home screen. */
  cancel: 'Back',
  invalidEmail: 'Enter an email address like name@example.com.',
  missingCode: 'Enter the 6-digit code from the email.',
  wrongCode: 'That code is wrong or has expired. Check the email, or ask for a new code.',
  rateLimited: 'Too many tries. Please try again in {seconds} s.',
  failed: 'Something went wrong. Please try again.',
};
export type EmailSignInStrings = { readonly [K in keyof typeof emailSignInStrings]: string };
