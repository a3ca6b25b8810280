/** Awaiting a postgrest-js request, with its failure converted, for every module of the data layer. */
import { toParleyError } from './errors.ts';

/** What a postgrest-js request resolves to. */
export interface Answer {
  readonly data: unknown;
  readonly error: unknown;
  readonly status: number;
}

/**
 * Awaits a postgrest-js request and converts its failure. The row type is asserted here, once: the
 * caller's column list and the migrations are what make it true.
 */
export async function run<T>(request: PromiseLike<Answer>): Promise<T> {
  let answer: Answer;
  try {
    answer = await request;
  } catch (error) {
    throw toParleyError(error);
  }
  if (answer.error) throw toParleyError(answer.error, answer.status);
  return answer.data as T;
}
