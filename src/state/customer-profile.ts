/**
 * The console's side panel data: the open conversation's customer (identity and sources, attributes,
 * recent pages), loaded when the customer changes and again when their conversation moves (a new
 * message: they may have navigated or identified meanwhile), and the agent's edits of name and email.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { CustomerProfile, ProfileApi } from '../data/customer-profile.ts';
import { toParleyError } from '../data/errors.ts';

export interface CustomerProfileView {
  /** The customer shown; null when no conversation is open. */
  readonly customerId: string | null;
  /** Their profile; null before it loads (or when the row is not visible). */
  readonly profile: CustomerProfile | null;
  readonly loading: boolean;
  /** Why loading failed. */
  readonly error: string | null;
  /** An edit of name and email is being saved. */
  readonly saving: boolean;
  /** Why the last save failed; cleared by the next. */
  readonly saveError: string | null;
}

export const NO_PROFILE: CustomerProfileView = Object.freeze({
  customerId: null, profile: null, loading: false, error: null, saving: false, saveError: null,
});

export interface CustomerProfileState {
  readonly $profile: ReadableAtom<CustomerProfileView>;
  /**
   * Shows `customerId`'s profile (call it on every render; it loads only when the customer or
   * `version`, e.g. how many messages the customer wrote, changed). Null clears it.
   */
  follow(customerId: string | null, version: number): void;
  /** Saves an agent's edit; resolves true once stored (and the profile reloaded). */
  save(customerId: string, values: { readonly name: string; readonly email: string }): Promise<boolean>;
}

export function createCustomerProfileState(api: Pick<ProfileApi, 'customerProfile' | 'updateCustomer'>): CustomerProfileState {
  const $profile = atom<CustomerProfileView>(NO_PROFILE);
  let followed: { readonly customerId: string | null; readonly version: number } = { customerId: null, version: -1 };
  // Answers for a customer no longer shown, or older than the newest request, are dropped.
  let generation = 0;

  async function load(customerId: string): Promise<void> {
    const mine = ++generation;
    const current = $profile.get();
    const same = current.customerId === customerId;
    // The shown customer's profile reloads in the background on every message: saying so (and
    // saying nothing changed) would re-render the console twice per message for nothing.
    const background = same && current.profile !== null && current.error === null && !current.loading;
    if (!background) $profile.set({ ...(same ? current : NO_PROFILE), customerId, loading: true, error: null });
    try {
      const profile = await api.customerProfile(customerId);
      if (mine !== generation) return;
      const now = $profile.get();
      if (background && now.error === null && JSON.stringify(profile) === JSON.stringify(now.profile)) return;
      $profile.set({ ...now, profile, loading: false, error: null });
    } catch (error) {
      if (mine === generation) $profile.set({ ...$profile.get(), loading: false, error: toParleyError(error).message });
    }
  }

  return {
    $profile,

    follow(customerId, version) {
      if (followed.customerId === customerId && followed.version === version) return;
      followed = { customerId, version };
      if (customerId === null) {
        generation += 1;
        $profile.set(NO_PROFILE);
        return;
      }
      void load(customerId);
    },

    async save(customerId, values) {
      if ($profile.get().saving) return false;
      $profile.set({ ...$profile.get(), saving: true, saveError: null });
      try {
        await api.updateCustomer(customerId, values);
        $profile.set({ ...$profile.get(), saving: false });
        if (followed.customerId === customerId) await load(customerId);
        return true;
      } catch (error) {
        $profile.set({ ...$profile.get(), saving: false, saveError: toParleyError(error).message });
        return false;
      }
    },
  };
}
