/**
 * `<parley-settings>`'s event, kept with the element so the visitor's bundle never carries it; it
 * joins Parley's typed event map by declaration merging.
 */
import type { SettingsSection } from './sections.ts';

export interface ParleySectionChangeDetail {
  /** The section the admin opened. */
  readonly section: SettingsSection;
}

/** `parley-section-change`: the admin opened another settings section (a router may follow it). */
export class ParleySectionChangeEvent extends CustomEvent<ParleySectionChangeDetail> {
  static readonly type = 'parley-section-change';
  constructor(detail: ParleySectionChangeDetail) {
    super(ParleySectionChangeEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare module '../events.ts' {
  interface ParleyEventMap {
    'parley-section-change': ParleySectionChangeEvent;
  }
}
