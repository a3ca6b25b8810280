import type { ApiRequest, ServiceHandler, StackContext } from '../http/context.ts';
import { sendEmpty, sendJson } from '../http/respond.ts';
import { decodePathSegment } from '../http/url.ts';
import { adminGenerateLink } from './admin-link.ts';
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, adminUpdateUser } from './admin.ts';
import { authenticate, requireAdmin } from './authenticate.ts';
import { AuthError, sendAuthError } from './errors.ts';
import { logout } from './logout.ts';
import { clientAddress, type AuthLimiter, type AuthRateLimits } from './rate-limit.ts';
import { signup } from './signup.ts';
import { token } from './token.ts';
import { otp, recover, resend } from './otp.ts';
import { updateUser } from './user.ts';
import { verifyGet, verifyPost } from './verify.ts';
import { userJson } from './users.ts';

/**
 * `/auth/v1`: the subset of GoTrue that supabase-js's auth client and the project's tools use.
 * Every refusal goes through `sendAuthError` so auth-js sees GoTrue's codes. `limits` are checked
 * where GoTrue checks them: after the checks that need no work, before any user is looked up.
 */
/** Kong's open auth routes: a link opened from a mail carries no apikey. */
export const openAuthRoute = (method: string, path: string) => method === 'GET' && path.replace(/\/+$/, '') === '/verify';

export function createAuthService(context: StackContext, limits: AuthRateLimits): ServiceHandler {
  return async (request) => {
    const { req, res, url } = request;
    const method = req.method ?? 'GET';
    const path = request.path.replace(/\/+$/, '') || '/';
    const client = clientAddress(req, request.apikey, context.keys.secret, limits.settings);
    const limit = (limiter: AuthLimiter) => limits.check(limiter, client);
    try {
      if (method === 'GET' && path === '/health') {
        sendJson(res, 200, { version: 'local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' });
      } else if (method === 'GET' && path === '/settings') {
        sendJson(res, 200, settingsJson(context));
      } else if (method === 'POST' && path === '/signup') {
        sendJson(res, 200, await signup(context, req, url, limit));
      } else if (method === 'POST' && path === '/otp') {
        limit('otp');
        sendJson(res, 200, await otp(context, req, url));
      } else if (method === 'POST' && path === '/recover') {
        sendJson(res, 200, await recover(context, req, url));
      } else if (method === 'POST' && path === '/resend') {
        sendJson(res, 200, await resend(context, req, url));
      } else if (path === '/verify' && (method === 'GET' || method === 'POST')) {
        limit('verify');
        if (method === 'GET') await verifyGet(context, req, res, url);
        else sendJson(res, 200, await verifyPost(context, req));
      } else if (method === 'POST' && path === '/token') {
        sendJson(res, 200, await token(context, req, url, limit));
      } else if (path === '/user' && (method === 'GET' || method === 'PUT')) {
        const auth = await authenticate(context, req);
        if (method === 'PUT') limit('user');
        const user = method === 'PUT' ? await updateUser(context, req, url, auth) : auth.user;
        sendJson(res, 200, await userJson(context.pool, user));
      } else if (method === 'POST' && path === '/logout') {
        await logout(context, url, await authenticate(context, req));
        sendEmpty(res, 204);
      } else if (method === 'POST' && path === '/admin/generate_link') {
        await requireAdmin(context, req, request.apikey);
        sendJson(res, 200, await adminGenerateLink(context, req, url));
      } else if (path === '/admin/users' || path.startsWith('/admin/users/')) {
        await requireAdmin(context, req, request.apikey);
        await admin(context, request, path, method);
      } else {
        throw new AuthError(404, 'not_found', 'Unhandled resource');
      }
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      sendAuthError(req, res, error);
    }
  };
}

async function admin(context: StackContext, request: ApiRequest, path: string, method: string): Promise<void> {
  const { req, res, url } = request;
  if (path === '/admin/users') {
    if (method === 'POST') return sendJson(res, 200, await adminCreateUser(context, req));
    if (method === 'GET') {
      const { body, headers } = await adminListUsers(context, url, path);
      return sendJson(res, 200, body, headers);
    }
  } else {
    const id = decodePathSegment(path.slice('/admin/users/'.length));
    if (method === 'GET') return sendJson(res, 200, await adminGetUser(context, id));
    if (method === 'PUT') return sendJson(res, 200, await adminUpdateUser(context, req, id));
    if (method === 'DELETE') return sendJson(res, 200, await adminDeleteUser(context, id));
  }
  throw new AuthError(404, 'not_found', 'Unhandled resource');
}

/** Shaped like GoTrue's `GET /settings`; only email and anonymous sign-in exist here. */
function settingsJson(context: StackContext) {
  const external: Record<string, boolean> = {
    anonymous_users: context.settings.anonymousSignIns,
    apple: false, azure: false, bitbucket: false, discord: false, facebook: false, figma: false, fly: false,
    github: false, gitlab: false, google: false, keycloak: false, kakao: false, linkedin: false,
    linkedin_oidc: false, notion: false, spotify: false, slack: false, slack_oidc: false, workos: false,
    twitch: false, twitter: false, zoom: false,
    email: true,
    // Phone and password work (no SMS is ever sent), so phone counts as enabled.
    phone: true,
  };
  return {
    external,
    disable_signup: false,
    mailer_autoconfirm: !context.mail.settings.confirmations,
    phone_autoconfirm: true,
    sms_provider: '',
    saml_enabled: false,
  };
}
