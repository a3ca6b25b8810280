import { formatString } from '../i18n/strings.ts';
import type { Customer } from '../data/types.ts';

/**
 * A short, stable code for a customer from their id ("3F2A"), so agents can tell anonymous
 * visitors apart in the list and the thread without knowing their names.
 */
export function visitorCode(customerId: string): string {
  return customerId.replace(/[^0-9a-z]/gi, '').slice(-4).toUpperCase();
}

/**
 * What to call a customer: their name, else their email, else `visitorTemplate` (with `{code}`,
 * see {@link visitorCode}) for an anonymous visitor.
 */
export function customerLabel(
  customer: Pick<Customer, 'name' | 'email'> | null,
  customerId: string,
  visitorTemplate: string,
  lang?: string,
): string {
  return customer?.name?.trim() || customer?.email?.trim() || formatString(visitorTemplate, { code: visitorCode(customerId) }, lang);
}
