/**
 * Reading Auth's mail the way a person would: from the stack's mail catcher (its JSON API), never
 * from a log; and following a mailed link as a browser would, to the fragment it lands on.
 */
import assert from 'node:assert/strict';
import type { TestStack } from '../helpers/stack.ts';

export interface CaughtMailJson {
  readonly id: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly links: readonly string[];
  readonly receivedAt: string;
}

/** Every mail caught for `address`, newest first. */
export async function mailsTo(t: TestStack, address: string): Promise<CaughtMailJson[]> {
  const response = await fetch(`${t.url}/mail/api/messages?to=${encodeURIComponent(address)}`);
  assert.equal(response.status, 200);
  const body = await response.json() as { messages?: unknown };
  assert.ok(Array.isArray(body.messages), 'the catcher answers { messages: [...] }');
  return body.messages as CaughtMailJson[];
}

/** The newest mail to `address`; fails when there is none. */
export async function latestMail(t: TestStack, address: string): Promise<CaughtMailJson> {
  const [mail] = await mailsTo(t, address);
  assert.ok(mail, `no mail to ${address}`);
  return mail;
}

export function codeOf(mail: CaughtMailJson): string {
  const match = /code: (\d{6})/.exec(mail.text);
  assert.ok(match?.[1], `no code in: ${mail.text}`);
  return match[1];
}

export function verifyLinkOf(mail: CaughtMailJson): URL {
  const link = mail.links.find((candidate) => candidate.includes('/auth/v1/verify?'));
  assert.ok(link, `no verify link in: ${mail.text}`);
  return new URL(link);
}

/** Opens a link without following the redirect; answers where it leads and its fragment's fields. */
export async function openLink(link: URL): Promise<{ status: number; location: URL; fragment: URLSearchParams }> {
  const response = await fetch(link, { redirect: 'manual' });
  const location = response.headers.get('location');
  assert.ok(location, `no redirect from ${link.toString()} (status ${response.status})`);
  const target = new URL(location);
  return { status: response.status, location: target, fragment: new URLSearchParams(target.hash.slice(1)) };
}
