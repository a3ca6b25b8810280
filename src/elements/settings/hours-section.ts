/**
 * The Business hours section: on/off, time zone, the weekly schedule (up to four ranges a day, added
 * and removed per day) and holidays. Times are typed `HH:MM` in text fields rather than `<input
 * type="time">`, which cannot say 24:00 (open until midnight).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { formatString } from '../../i18n/strings.ts';
import { SETTINGS_LIMITS, WEEKDAYS, isIsoDate, timeZoneChoices, type Weekday } from '../../data/settings-rules.ts';
import { checkboxField, fieldError, fieldId, formFooter, selectField } from './fields.ts';
import type { SectionContext } from './section-context.ts';
import type { BusinessHours } from './settings-source.ts';

type Range = readonly [string, string];

export function hoursSection({ store, t, submit }: SectionContext): TemplateResult {
  const form = store.hours;
  const { values, errors, status, message } = form.$state.get();
  const hours = values.businessHours;
  const set = (patch: Partial<BusinessHours>, field: string): void =>
    form.edit({ businessHours: { ...hours, ...patch } }, [field]);
  const setDay = (day: Weekday, ranges: readonly Range[]): void =>
    set({ weekly: { ...hours.weekly, [day]: ranges } }, `businessHours.weekly.${day}`);
  const dayRow = (day: Weekday): TemplateResult => {
    const key = `businessHours.weekly.${day}`;
    const error = errors[key];
    const ranges = hours.weekly[day] ?? [];
    const dayName = t[day];
    const timeInput = (index: number, end: 0 | 1): TemplateResult => html`<input
      class="time"
      type="text"
      inputmode="numeric"
      maxlength="5"
      placeholder="09:00"
      aria-label=${formatString(end === 0 ? t.opens : t.closes, { day: dayName, n: index + 1 })}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${ifDefined(error ? `${fieldId(key)}-error` : undefined)}
      .value=${live(ranges[index]?.[end] ?? '')}
      @input=${(e: Event) => {
        const value = (e.target as HTMLInputElement).value.trim();
        setDay(day, ranges.map((r, i) => (i === index ? (end === 0 ? [value, r[1]] : [r[0], value]) : r)));
      }}
      @blur=${() => form.blur(key)}
    />`;
    return html`<fieldset class="day" data-field=${key} id=${fieldId(key)}>
      <legend>${dayName}</legend>
      <div class="ranges">
        ${ranges.length === 0 ? html`<span class="muted">${t.closed}</span>` : nothing}
        ${ranges.map((_, index) => html`<div class="range">
          ${timeInput(index, 0)}<span aria-hidden="true">–</span>${timeInput(index, 1)}
          <button
            type="button"
            class="quiet"
            aria-label=${formatString(t.removeRangeLabel, { day: dayName, n: index + 1 })}
            @click=${() => setDay(day, ranges.filter((__, i) => i !== index))}
          >${t.removeRange}</button>
        </div>`)}
        ${ranges.length < SETTINGS_LIMITS.rangesPerDay
          ? html`<button
              type="button"
              class="quiet"
              aria-label=${formatString(t.addRangeLabel, { day: dayName })}
              @click=${() => setDay(day, [...ranges, nextRange(ranges)])}
            >${t.addRange}</button>`
          : nothing}
      </div>
      ${fieldError(key, error)}
    </fieldset>`;
  };
  const holidayKey = 'businessHours.holidays';
  const addHoliday = (event: Event): void => {
    const input = (event.target as HTMLElement).closest('.holiday-add')?.querySelector('input');
    const date = input?.value ?? '';
    if (!isIsoDate(date) || hours.holidays.includes(date)) return;
    set({ holidays: [...hours.holidays, date].sort() }, holidayKey);
    if (input) input.value = '';
  };
  return html`<form class="form" part="hours-form" novalidate @submit=${submit(() => store.saveHours())}>
    ${fieldError('businessHours', errors.businessHours)}
    ${checkboxField({ field: 'businessHours.enabled', label: t.hoursEnabled, checked: hours.enabled,
      onChange: (v) => set({ enabled: v }, 'businessHours.enabled') })}
    ${selectField({ field: 'businessHours.timezone', label: t.timezone, value: hours.timezone, error: errors['businessHours.timezone'],
      choices: timeZoneChoices(hours.timezone).map((zone) => [zone, zone.replaceAll('_', ' ')] as const),
      onChange: (v) => set({ timezone: v }, 'businessHours.timezone'), onBlur: (f) => form.blur(f) })}
    <fieldset class="group">
      <legend>${t.weekly}</legend>
      ${WEEKDAYS.map(dayRow)}
    </fieldset>
    <fieldset class="group" data-field=${holidayKey} id=${fieldId(holidayKey)}>
      <legend>${t.holidays}</legend>
      ${hours.holidays.length === 0 ? html`<p class="muted">${t.holidaysNone}</p>` : nothing}
      <ul class="chips">
        ${hours.holidays.map((date) => html`<li>
          <span>${date}</span>
          <button
            type="button"
            class="quiet"
            aria-label=${formatString(t.removeHolidayLabel, { date })}
            @click=${() => set({ holidays: hours.holidays.filter((d) => d !== date) }, holidayKey)}
          >×</button>
        </li>`)}
      </ul>
      <div class="holiday-add">
        <label for="new-holiday" class="visually-hidden">${t.newHoliday}</label>
        <input id="new-holiday" type="date" aria-describedby=${ifDefined(errors[holidayKey] ? `${fieldId(holidayKey)}-error` : undefined)} />
        <button type="button" class="quiet" @click=${addHoliday}>${t.addHoliday}</button>
      </div>
      ${fieldError(holidayKey, errors[holidayKey])}
    </fieldset>
    ${formFooter({ saving: form.saving, status, message, label: t.save, savingLabel: t.saving, savedLabel: t.saved,
      refusedLabel: t.refused, part: 'save-button' })}
  </form>`;
}

/** A sensible next range: after the day's last one, else office hours. */
function nextRange(ranges: readonly Range[]): Range {
  const last = ranges.at(-1);
  if (!last) return ['09:00', '17:00'];
  const hour = Math.min(23, Number(last[1].slice(0, 2)) + 1);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return [`${pad(hour)}:00`, `${pad(Math.min(24, hour + 1))}:00`];
}
