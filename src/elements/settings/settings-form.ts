/**
 * One form's state: the values being typed, which fields were left (blurred), the errors shown, and
 * the save in flight. Errors appear for a field once it was left or a save was tried, so an admin is
 * not scolded mid-word; a refused save keeps every value typed and puts the database's message on the
 * field it named (or on the form when it named none).
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { FieldErrors } from '../../data/settings-rules.ts';
import { refusedField } from './settings-source.ts';

export type FormStatus = 'idle' | 'saving' | 'saved' | 'refused';

export interface FormState<T> {
  readonly values: T;
  /** Errors to show now, by field. */
  readonly errors: FieldErrors;
  /** A message for the whole form (a refusal naming no field). */
  readonly message: string | null;
  readonly status: FormStatus;
}

export class SettingsForm<T extends object> {
  readonly #state;
  readonly #validate: (values: T) => FieldErrors;
  /** Fields whose errors are shown as they change: left once, or the whole form after a save attempt. */
  #shown = new Set<string>();
  #all = false;
  /** Errors the server gave, kept until that field is edited. */
  #server: Record<string, string> = {};

  constructor(initial: T, validate: (values: T) => FieldErrors) {
    this.#state = atom<FormState<T>>({ values: initial, errors: {}, message: null, status: 'idle' });
    this.#validate = validate;
  }

  get $state(): ReadableAtom<FormState<T>> {
    return this.#state;
  }

  get values(): T {
    return this.#state.get().values;
  }

  get saving(): boolean {
    return this.#state.get().status === 'saving';
  }

  /** Starts over from `values` (loaded or saved): no errors shown. */
  reset(values: T, status: FormStatus = 'idle'): void {
    this.#shown = new Set();
    this.#all = false;
    this.#server = {};
    this.#state.set({ values, errors: {}, message: null, status });
  }

  /** The admin typed: `fields` names what changed, so a server error on it goes away. */
  edit(patch: Partial<T>, fields: readonly string[] = Object.keys(patch)): void {
    const edited = (key: string): boolean => fields.some((field) => key === field || key.startsWith(`${field}.`) || field.startsWith(`${key}.`));
    this.#server = Object.fromEntries(Object.entries(this.#server).filter(([key]) => !edited(key)));
    const current = this.#state.get();
    const status = current.status === 'saving' ? 'saving' : 'idle';
    this.#publish({ ...current.values, ...patch }, status, status === 'saving' ? current.message : null);
  }

  /** The admin left `field`: its error, if any, shows from now on. */
  blur(field: string): void {
    this.#shown.add(field);
    const current = this.#state.get();
    this.#publish(current.values, current.status, current.message);
  }

  /**
   * Validates everything and, when clean, saves with `save`. Returns true when saved; false when the
   * form is invalid (errors shown), a save is already running, or `save` was refused (values kept).
   * `after` receives the saved answer so the form can restart from what the database stored.
   */
  async submit<R>(save: (values: T) => Promise<R>, after?: (result: R) => T | null): Promise<boolean> {
    if (this.saving) return false;
    this.#all = true;
    const { values } = this.#state.get();
    if (Object.keys(this.#validate(values)).length > 0) {
      this.#publish(values, 'idle', null);
      return false;
    }
    this.#server = {};
    this.#state.set({ values, errors: {}, message: null, status: 'saving' });
    try {
      const result = await save(values);
      const next = after ? after(result) : null;
      if (next) this.reset(next, 'saved');
      else this.#publish(this.#state.get().values, 'saved', null);
      return true;
    } catch (error) {
      const refusal = refusedField(error);
      const typed = this.#state.get().values;
      if (refusal.field && this.#knows(refusal.field, typed)) {
        this.#server = { [refusal.field]: refusal.message };
        this.#publish(typed, 'refused', null);
      } else {
        this.#publish(typed, 'refused', refusal.message);
      }
      return false;
    }
  }

  /** Whether `field` has a place in this form: a value key (`brandName`, `businessHours`) or a rules key under one. */
  #knows(field: string, values: T): boolean {
    const root = field.split('.')[0] ?? field;
    return root in values || Object.keys(this.#validate(values)).includes(field);
  }

  #publish(values: T, status: FormStatus, message: string | null): void {
    const all = this.#validate(values);
    const errors: Record<string, string> = {};
    for (const [field, error] of Object.entries(all)) {
      if (this.#all || this.#shown.has(field)) errors[field] = error;
    }
    Object.assign(errors, this.#server);
    this.#state.set({ values, errors, message, status });
  }
}
