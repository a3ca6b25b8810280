// toParleyError (src/data/errors.ts) on the shapes supabase-js and fetch produce, including ones
// the local stack cannot easily provoke (expired JWTs, 5xx, timeouts, auth-js errors).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthApiError, AuthRetryableFetchError, AuthSessionMissingError, PostgrestError } from '@supabase/supabase-js';
import { ERROR_KINDS, ParleyError, isParleyError, isRateLimited, toParleyError, type ErrorKind } from '../../src/data/errors.ts';

const postgrest = (code: string, message = 'raw database text', details = '') =>
  new PostgrestError({ code, message, details, hint: '' });

function summary(error: ParleyError) {
  return { kind: error.kind, reason: error.reason, status: error.status, retryable: error.retryable };
}

describe('toParleyError', () => {
  it('has the closed kind vocabulary', () => {
    assert.deepEqual([...ERROR_KINDS], ['invalid', 'not-found', 'forbidden', 'conflict', 'closed', 'unauthenticated', 'network', 'server']);
  });

  it('keeps our RPC message and reason; status picks the kind; conversation_closed is closed', () => {
    const cases: [string, string, number, ErrorKind][] = [
      ['PT400', 'content_too_long', 400, 'invalid'],
      ['PT401', 'not_signed_in', 401, 'unauthenticated'],
      ['PT403', 'agent_required', 403, 'forbidden'],
      ['PT404', 'conversation_not_found', 404, 'not-found'],
      ['PT409', 'id_conflict', 409, 'conflict'],
      ['PT409', 'chatbot_disabled', 409, 'conflict'],
      ['PT409', 'conversation_closed', 409, 'closed'],
    ];
    for (const [code, reason, status, kind] of cases) {
      const error = toParleyError(postgrest(code, `Readable ${reason}`, reason), status);
      assert.deepEqual(summary(error), { kind, reason, status, retryable: false }, reason);
      assert.equal(error.message, `Readable ${reason}`);
    }
    // Without the response status the code still says it.
    assert.equal(toParleyError(postgrest('PT404', 'Conversation not found', 'conversation_not_found')).status, 404);
  });

  it('replaces PostgREST and Postgres texts with plain sentences', () => {
    const cases: [string, number, ErrorKind, boolean][] = [
      ['42501', 403, 'forbidden', false],
      ['42501', 401, 'unauthenticated', false],
      ['22P02', 400, 'invalid', false],
      ['23514', 400, 'invalid', false],
      ['PGRST116', 406, 'not-found', false],
      ['PGRST301', 401, 'unauthenticated', false],
      ['PGRST303', 401, 'unauthenticated', true],
      ['23505', 409, 'conflict', false],
      ['PGRST202', 404, 'server', false],
      ['57014', 500, 'server', true],
      ['08006', 503, 'server', true],
    ];
    for (const [code, status, kind, retryable] of cases) {
      const error = toParleyError(postgrest(code), status);
      assert.deepEqual(summary(error), { kind, reason: code, status, retryable }, code);
      assert.notEqual(error.message, 'raw database text', code);
      assert.match(error.message, /^[A-Z].*\.$/, code);
    }
  });

  it('5xx and gateway errors without a code are retryable server errors; other 4xx follow the status', () => {
    assert.deepEqual(summary(toParleyError({ message: '<html>Bad gateway</html>' }, 520)), { kind: 'server', reason: null, status: 520, retryable: true });
    assert.deepEqual(summary(toParleyError({ message: 'Service Unavailable' }, 503)), { kind: 'server', reason: null, status: 503, retryable: true });
    assert.deepEqual(summary(toParleyError({ message: 'slow down' }, 429)), { kind: 'server', reason: null, status: 429, retryable: true });
    assert.deepEqual(summary(toParleyError({ message: 'nope' }, 404)), { kind: 'not-found', reason: null, status: 404, retryable: false });
  });

  it('fetch failures, thrown or wrapped by postgrest-js, are retryable network errors', () => {
    const shapes: unknown[] = [
      new TypeError('Failed to fetch'),
      new TypeError('fetch failed'),
      new TypeError('NetworkError when attempting to fetch resource.'),
      new TypeError('Load failed'),
    ];
    for (const shape of shapes) {
      assert.deepEqual(summary(toParleyError(shape)), { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true }, String(shape));
    }
    const wrapped = { message: 'TypeError: fetch failed', details: 'Caused by: Error: connect ECONNREFUSED', hint: '', code: '' };
    assert.deepEqual(summary(toParleyError(wrapped, 0)), { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true });
    assert.deepEqual(summary(toParleyError(wrapped)), { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true });
    assert.equal(toParleyError(new TypeError('x is not a function')).kind, 'server', 'a programming error is no network failure');
  });

  it('timeouts retry; deliberate aborts do not', () => {
    const timeout = toParleyError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    assert.deepEqual(summary(timeout), { kind: 'network', reason: 'timeout', status: 0, retryable: true });
    const abort = toParleyError(new DOMException('This operation was aborted', 'AbortError'));
    assert.deepEqual(summary(abort), { kind: 'network', reason: 'aborted', status: 0, retryable: false });
    const wrapped = toParleyError({ message: 'TimeoutError: The operation was aborted due to timeout', code: '', details: '', hint: '' }, 0);
    assert.equal(wrapped.reason, 'timeout');
  });

  it('maps auth-js errors', () => {
    const credentials = toParleyError(new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'));
    assert.deepEqual(summary(credentials), { kind: 'invalid', reason: 'invalid_credentials', status: 400, retryable: false });
    assert.equal(credentials.message, 'Invalid login credentials');
    const offline = toParleyError(new AuthRetryableFetchError('fetch failed', 0));
    assert.deepEqual(summary(offline), { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true });
    const missing = toParleyError(new AuthSessionMissingError());
    assert.equal(missing.kind, 'unauthenticated');
    assert.equal(toParleyError(new AuthApiError('Token expired', 403, 'session_expired')).kind, 'unauthenticated');
    assert.equal(toParleyError(new AuthApiError('upstream down', 502, 'unexpected_failure')).retryable, true);
  });

  it('says in words a person can act on that the network sent too many attempts (429), from auth and REST alike', () => {
    const signIn = toParleyError(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'));
    assert.deepEqual(summary(signIn), { kind: 'server', reason: 'over_request_rate_limit', status: 429, retryable: true });
    assert.equal(signIn.message, 'Too many attempts from your network. Please wait a minute and try again.');
    assert.ok(isRateLimited(signIn));
    const rest = toParleyError({ message: 'slow down' }, 429);
    assert.equal(rest.message, signIn.message);
    assert.ok(isRateLimited(rest));
    assert.ok(!isRateLimited(toParleyError(new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'))));
  });

  it('passes a ParleyError through and wraps anything else as a server error with its cause', () => {
    const own = new ParleyError({ kind: 'closed', message: 'Closed', reason: 'conversation_closed', status: 409 });
    assert.equal(toParleyError(own), own);
    const odd = toParleyError('boom');
    assert.deepEqual(summary(odd), { kind: 'server', reason: null, status: 0, retryable: false });
    assert.equal(odd.cause, 'boom');
    assert.ok(odd instanceof Error);
    assert.ok(isParleyError(odd));
    assert.ok(!isParleyError(new Error('plain')));
  });
});
