/**
 * The Team section: members with their role and deactivate/reactivate, pending invitations with
 * revoke, the invite form, and the signed-in agent's own name and avatar. Role and activity change
 * with one click each; a refusal (such as leaving no active admin) shows on that member's row and
 * the row shows the stored role again.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { AGENT_ROLES, type AgentRole } from '../../data/settings-rules.ts';
import { formatString } from '../../i18n/strings.ts';
import { fieldId, formFooter, selectField, textField } from './fields.ts';
import type { SectionContext } from './section-context.ts';
import type { TeamMember } from './settings-source.ts';

export function teamSection(ctx: SectionContext): TemplateResult {
  const { store, t } = ctx;
  const roleLabels: Record<AgentRole, string> = { agent: t.roleAgent, admin: t.roleAdmin };
  const roles = AGENT_ROLES.map((r) => [r, roleLabels[r]] as const);
  const busy = store.$busy.get();
  const rowErrors = store.$rowErrors.get();
  const member = (m: TeamMember): TemplateResult => {
    const error = rowErrors[m.userId];
    const errorId = `${fieldId(`row-${m.userId}`)}-error`;
    const self = m.userId === store.selfId;
    return html`<li class="row ${m.active ? '' : 'inactive'}" part="member" data-id=${m.userId}>
      <div class="row-main">
        <span class="name">${m.displayName}${self ? html` <span class="muted">(${t.you})</span>` : nothing}</span>
        ${m.email ? html`<span class="muted small">${m.email}</span>` : nothing}
        ${m.active ? nothing : html`<span class="badge">${t.inactive}</span>`}
      </div>
      <div class="row-actions">
        ${selectField({ field: `role-${m.userId}`, label: formatString(t.roleOf, { name: m.displayName }), hideLabel: true,
          value: m.role, choices: roles, error: undefined, disabled: busy.has(m.userId) || !m.active,
          onChange: (role) => void store.setRole(m.userId, role), onBlur: () => undefined })}
        <button
          type="button"
          class="quiet"
          part=${m.active ? 'deactivate-button' : 'reactivate-button'}
          aria-label=${formatString(m.active ? t.deactivateLabel : t.reactivateLabel, { name: m.displayName })}
          aria-describedby=${error ? errorId : ''}
          ?disabled=${busy.has(m.userId)}
          @click=${() => void store.setActive(m.userId, !m.active)}
        >${m.active ? t.deactivate : t.reactivate}</button>
      </div>
      ${error ? html`<p class="field-error" part="row-error" id=${errorId} role="alert">${error}</p>` : nothing}
    </li>`;
  };
  const invitations = store.$invitations.get();
  const inviteState = store.invite.$state.get();
  const profileState = store.profile.$state.get();
  const self = store.$team.get().find((m) => m.userId === store.selfId);
  return html`<section class="block" aria-labelledby="members-title">
      <h3 id="members-title">${t.members}</h3>
      <ul class="rows" part="members">${store.$team.get().map(member)}</ul>
    </section>
    <section class="block" aria-labelledby="invitations-title">
      <h3 id="invitations-title">${t.invitations}</h3>
      ${invitations.length === 0 ? html`<p class="muted">${t.invitationsNone}</p>` : nothing}
      <ul class="rows" part="invitations">
        ${invitations.map((inv) => html`<li class="row" part="invitation" data-id=${inv.id}>
          <div class="row-main"><span class="name">${inv.email}</span><span class="muted small">${roleLabels[inv.role]}</span></div>
          <div class="row-actions">
            <button
              type="button"
              class="quiet"
              part="revoke-button"
              aria-label=${formatString(t.revokeLabel, { email: inv.email })}
              ?disabled=${busy.has(inv.id)}
              @click=${() => void store.revokeInvitation(inv.id)}
            >${t.revoke}</button>
          </div>
          ${rowErrors[inv.id] ? html`<p class="field-error" role="alert">${rowErrors[inv.id]}</p>` : nothing}
        </li>`)}
      </ul>
    </section>
    <section class="block" aria-labelledby="invite-title">
      <h3 id="invite-title">${t.inviteTitle}</h3>
      <form class="form inline-form" part="invite-form" novalidate @submit=${ctx.submit(() => store.sendInvite())}>
        ${textField({ field: 'email', label: t.email, type: 'email', autocomplete: 'off', value: inviteState.values.email,
          error: inviteState.errors.email, required: true, spellcheck: false,
          onInput: (v) => store.invite.edit({ email: v }), onBlur: (f) => store.invite.blur(f) })}
        ${selectField({ field: 'role', label: t.role, value: inviteState.values.role, choices: roles, error: inviteState.errors.role,
          onChange: (v) => store.invite.edit({ role: v }), onBlur: (f) => store.invite.blur(f) })}
        ${formFooter({ saving: store.invite.saving, status: inviteState.status, message: inviteState.message, label: t.invite,
          savingLabel: t.saving, savedLabel: t.invited, refusedLabel: t.refused, part: 'invite-button' })}
      </form>
    </section>
    ${self
      ? html`<section class="block" aria-labelledby="profile-title">
          <h3 id="profile-title">${t.profileTitle}</h3>
          <form class="form" part="profile-form" novalidate @submit=${ctx.submit(() => store.saveProfile())}>
            ${textField({ field: 'displayName', label: t.displayName, value: profileState.values.displayName, required: true,
              error: profileState.errors.displayName, autocomplete: 'name',
              onInput: (v) => store.profile.edit({ displayName: v }), onBlur: (f) => store.profile.blur(f) })}
            ${textField({ field: 'avatarUrl', label: t.avatarUrl, type: 'url', value: profileState.values.avatarUrl,
              error: profileState.errors.avatarUrl, hint: t.avatarUrlHint, spellcheck: false,
              onInput: (v) => store.profile.edit({ avatarUrl: v }), onBlur: (f) => store.profile.blur(f) })}
            ${formFooter({ saving: store.profile.saving, status: profileState.status, message: profileState.message, label: t.save,
              savingLabel: t.saving, savedLabel: t.saved, refusedLabel: t.refused, part: 'profile-save-button' })}
          </form>
        </section>`
      : nothing}`;
}
