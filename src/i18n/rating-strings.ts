// Apart from strings.ts: the card loads on demand, and so do its strings.
/** The card's visible strings; `{score}` and `{scale}` are filled in. */
export const ratingStrings = {
  question: 'How was your conversation?',
  /** The steps' names, worst first, on a 5-step scale. */
  step5: 'Terrible|Bad|OK|Good|Great',
  /** The same on a 3-step scale. */
  step3: 'Bad|OK|Great',
  /** A step's accessible name: its name and where it sits on the scale. */
  stepLabel: '{name} ({score} of {scale})',
  comment: 'Anything to add? (optional)',
  send: 'Send',
  skip: 'Skip',
  sending: 'Sending…',
  thanks: 'Thanks for your feedback!',
  rated: 'You rated {score}/{scale}',
  failed: 'Your rating could not be sent. Try again.',
};
export type RatingStrings = { readonly [K in keyof typeof ratingStrings]: string };
