/**
 * The settings screen's logic (STYLE.md §7): loads the workspace, the team, invitations and canned
 * replies from a {@link SettingsSource}, holds one {@link SettingsForm} per form, and runs the team's
 * one-click commands (role, deactivate, revoke, delete) with their errors kept per row. The element
 * only renders what this holds and forwards the admin's input.
 */
import { atom, type ReadableAtom } from 'nanostores';
import {
  ATTACHMENT_TYPE_GROUPS, parseMegabytes, parseMinutes, ruleMessages, validateCannedReply, validateInvite, validateProfile, validateWorkspace,
  type AgentRole, type FieldErrors, type RuleMessages,
} from '../../data/settings-rules.ts';
import { SettingsForm } from './settings-form.ts';
import {
  refusedField, type BusinessHours, type CannedReply, type CannedReplyFields, type CsatSummary, type Invitation, type SettingsSource,
  type TeamMember, type WorkspaceSettings,
} from './settings-source.ts';

export type LoadPhase = 'idle' | 'loading' | 'ready' | 'error';

type MinuteFields = 'replyEmailAfterMinutes' | 'replyEmailIntervalMinutes';

/**
 * The workspace section's values: every setting but business hours and the bookkeeping. Minutes are
 * the text typed, so "12a" stays on screen with its error instead of turning into a number.
 */
export type WorkspaceValues = Omit<WorkspaceSettings, 'businessHours' | 'updatedAt' | MinuteFields | 'attachmentMaxBytes'>
  & { readonly [K in MinuteFields]: string }
  /** The largest file in MB (decimal), as typed. */
  & { readonly attachmentMaxMb: string };
export interface HoursValues {
  readonly businessHours: BusinessHours;
}
export interface ProfileValues {
  readonly displayName: string;
  readonly avatarUrl: string;
}
export interface InviteValues {
  readonly email: string;
  readonly role: AgentRole;
}
/** The canned reply being written: `id` null for a new one. */
export interface CannedValues extends CannedReplyFields {
  readonly id: string | null;
}

const EMPTY_CANNED: CannedValues = { id: null, shortcut: '', title: '', body: '' };

/** The defaults the migration seeds; shown until the stored settings arrive. */
export const DEFAULT_SETTINGS: WorkspaceSettings = {
  brandName: 'Support',
  greeting: 'Hi there 👋',
  intro: '',
  accentColor: '#4f46e5',
  showTeamAvatars: true,
  replyTime: 'unknown',
  businessHours: {
    enabled: false,
    timezone: 'UTC',
    weekly: {
      mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']],
      fri: [['09:00', '17:00']], sat: [], sun: [],
    },
    holidays: [],
  },
  awayMessage: '',
  preChat: 'none',
  csatEnabled: false,
  csatScale: 5,
  defaultLanguage: 'en',
  autoAssign: false,
  replyEmailAfterMinutes: 10,
  replyEmailIntervalMinutes: 60,
  attachmentMaxBytes: 10_000_000,
  attachmentTypes: Object.values(ATTACHMENT_TYPE_GROUPS).flat(),
  updatedAt: '',
};

function workspaceValues(settings: WorkspaceSettings): WorkspaceValues {
  const { businessHours: _hours, updatedAt: _updated, attachmentMaxBytes, ...values } = settings;
  return {
    ...values,
    attachmentMaxMb: String(attachmentMaxBytes / 1e6),
    replyEmailAfterMinutes: String(settings.replyEmailAfterMinutes),
    replyEmailIntervalMinutes: String(settings.replyEmailIntervalMinutes),
  };
}

/** What the workspace form sends: text trimmed as the database stores it. */
function workspaceChanges(values: WorkspaceValues): Partial<WorkspaceSettings> {
  const { attachmentMaxMb, ...rest } = values;
  const mb = parseMegabytes(attachmentMaxMb);
  return {
    ...rest,
    attachmentMaxBytes: mb === null ? undefined : Math.round(mb * 1e6),
    brandName: values.brandName.trim(),
    greeting: values.greeting.trim(),
    intro: values.intro.trim(),
    awayMessage: values.awayMessage.trim(),
    accentColor: values.accentColor.trim().toLowerCase(),
    defaultLanguage: values.defaultLanguage.trim(),
    // Validated before any save, so these are whole minutes within the bounds.
    replyEmailAfterMinutes: parseMinutes(values.replyEmailAfterMinutes) ?? undefined,
    replyEmailIntervalMinutes: parseMinutes(values.replyEmailIntervalMinutes) ?? undefined,
  };
}

export class SettingsStore {
  readonly #source: SettingsSource;
  readonly #messages: () => RuleMessages;
  readonly #phase = atom<LoadPhase>('idle');
  readonly #loadError = atom<string | null>(null);
  readonly #team = atom<readonly TeamMember[]>([]);
  readonly #invitations = atom<readonly Invitation[]>([]);
  readonly #canned = atom<readonly CannedReply[]>([]);
  readonly #cannedQuery = atom('');
  /** CSAT over the last 7 and 30 days; null until read, or when it could not be. */
  readonly #csat = atom<readonly CsatSummary[] | null>(null);
  /** Errors of one-click commands, by row id (agent user id, invitation id, canned reply id). */
  readonly #rowErrors = atom<Readonly<Record<string, string>>>({});
  /** Rows with a command in flight. */
  readonly #busy = atom<ReadonlySet<string>>(new Set());
  #searchSeq = 0;

  readonly workspace = new SettingsForm<WorkspaceValues>(workspaceValues(DEFAULT_SETTINGS), (v) => validateWorkspace(v, this.#messages()));
  readonly hours = new SettingsForm<HoursValues>({ businessHours: DEFAULT_SETTINGS.businessHours }, (v) => validateWorkspace(v, this.#messages()));
  readonly profile = new SettingsForm<ProfileValues>({ displayName: '', avatarUrl: '' }, (v) => validateProfile(v, this.#messages()));
  readonly invite = new SettingsForm<InviteValues>({ email: '', role: 'agent' }, (v) => validateInvite(v, this.#messages()));
  readonly canned = new SettingsForm<CannedValues>(EMPTY_CANNED, (v) => validateCannedReply(v, this.#messages()));
  /** Whether the canned reply form is open (new or editing). */
  readonly #cannedOpen = atom(false);

  /** The signed-in agent, whose profile the Team section edits. */
  selfId: string | null = null;

  /** `messages`: what the form rules say, in the screen's language (English by default). */
  constructor(source: SettingsSource, messages: () => RuleMessages = () => ruleMessages) {
    this.#source = source;
    this.#messages = messages;
  }

  get $phase(): ReadableAtom<LoadPhase> { return this.#phase; }
  get $loadError(): ReadableAtom<string | null> { return this.#loadError; }
  get $team(): ReadableAtom<readonly TeamMember[]> { return this.#team; }
  get $invitations(): ReadableAtom<readonly Invitation[]> { return this.#invitations; }
  get $canned(): ReadableAtom<readonly CannedReply[]> { return this.#canned; }
  get $cannedQuery(): ReadableAtom<string> { return this.#cannedQuery; }
  get $csat(): ReadableAtom<readonly CsatSummary[] | null> { return this.#csat; }
  get $cannedOpen(): ReadableAtom<boolean> { return this.#cannedOpen; }
  get $rowErrors(): ReadableAtom<Readonly<Record<string, string>>> { return this.#rowErrors; }
  get $busy(): ReadableAtom<ReadonlySet<string>> { return this.#busy; }

  /** Every store the element renders from. */
  get stores(): ReadableAtom<unknown>[] {
    return [
      this.#phase, this.#loadError, this.#csat, this.#team, this.#invitations, this.#canned, this.#cannedQuery, this.#cannedOpen,
      this.#rowErrors, this.#busy, this.workspace.$state, this.hours.$state, this.profile.$state, this.invite.$state,
      this.canned.$state,
    ];
  }

  /** Loads everything the screen shows. A failure leaves the phase `error` with a message to show. */
  async load(): Promise<void> {
    this.#phase.set('loading');
    this.#loadError.set(null);
    void this.loadCsat();
    try {
      const [settings, team, invitations, canned] = await Promise.all([
        this.#source.settings(), this.#source.team(), this.#source.invitations(), this.#source.cannedReplies(),
      ]);
      this.#applySettings(settings);
      this.#setTeam(team);
      this.#invitations.set(invitations);
      this.#canned.set(canned);
      this.#phase.set('ready');
    } catch (error) {
      this.#loadError.set(refusedField(error).message);
      this.#phase.set('error');
    }
  }

  /** Reads the ratings summary (7 and 30 days); a failure shows none rather than failing the screen. */
  async loadCsat(): Promise<void> {
    const summary = this.#source.csatSummary?.bind(this.#source);
    if (!summary) return;
    try {
      this.#csat.set(await Promise.all([7, 30].map((days) => summary(days))));
    } catch {
      this.#csat.set(null);
    }
  }

  #applySettings(settings: WorkspaceSettings, status: 'idle' | 'saved' = 'idle'): void {
    this.workspace.reset(workspaceValues(settings), status);
    this.hours.reset({ businessHours: settings.businessHours }, status);
  }

  #setTeam(team: readonly TeamMember[]): void {
    this.#team.set(team);
    const self = team.find((member) => member.userId === this.selfId);
    if (self && !this.profile.saving) this.profile.reset({ displayName: self.displayName, avatarUrl: self.avatarUrl ?? '' });
  }

  saveWorkspace(): Promise<boolean> {
    return this.workspace.submit(
      (values) => this.#source.updateSettings(workspaceChanges(values)),
      (saved) => {
        // Hours keep what the admin may be typing there; only their saved copy is refreshed on their own save.
        return workspaceValues(saved);
      },
    );
  }

  saveHours(): Promise<boolean> {
    return this.hours.submit(
      (values) => this.#source.updateSettings({ businessHours: values.businessHours }),
      (saved) => ({ businessHours: saved.businessHours }),
    );
  }

  async saveProfile(): Promise<boolean> {
    const saved = await this.profile.submit((values) => this.#source.updateOwnProfile({
      displayName: values.displayName.trim(),
      avatarUrl: values.avatarUrl.trim() === '' ? null : values.avatarUrl.trim(),
    }));
    if (saved) await this.#refreshTeam();
    return saved;
  }

  async sendInvite(): Promise<boolean> {
    const sent = await this.invite.submit(
      (values) => this.#source.invite(values.email.trim(), values.role),
      (invitation) => {
        this.#invitations.set([...this.#invitations.get().filter((i) => i.id !== invitation.id), invitation]);
        return { email: '', role: this.invite.values.role };
      },
    );
    return sent;
  }

  revokeInvitation(id: string): Promise<void> {
    return this.#row(id, async () => {
      await this.#source.revokeInvitation(id);
      this.#invitations.set(this.#invitations.get().filter((i) => i.id !== id));
    });
  }

  setRole(userId: string, role: AgentRole): Promise<void> {
    return this.#row(userId, async () => {
      await this.#source.setRole(userId, role);
      await this.#refreshTeam();
    }, () => this.#team.set([...this.#team.get()]));
  }

  setActive(userId: string, active: boolean): Promise<void> {
    return this.#row(userId, async () => {
      await this.#source.setActive(userId, active);
      await this.#refreshTeam();
    });
  }

  /** Runs one row's command; its refusal shows on that row, and `refused` restores the row's controls. */
  async #row(id: string, command: () => Promise<void>, refused?: () => void): Promise<void> {
    if (this.#busy.get().has(id)) return;
    this.#busy.set(new Set([...this.#busy.get(), id]));
    const { [id]: _old, ...others } = this.#rowErrors.get();
    this.#rowErrors.set(others);
    try {
      await command();
    } catch (error) {
      this.#rowErrors.set({ ...this.#rowErrors.get(), [id]: refusedField(error).message });
      refused?.();
    } finally {
      const busy = new Set(this.#busy.get());
      busy.delete(id);
      this.#busy.set(busy);
    }
  }

  async #refreshTeam(): Promise<void> {
    this.#setTeam(await this.#source.team());
  }

  /** Searches canned replies; a slower earlier answer never replaces a newer one. */
  async searchCanned(query: string): Promise<void> {
    this.#cannedQuery.set(query);
    const seq = ++this.#searchSeq;
    try {
      const replies = await this.#source.cannedReplies(query.trim() === '' ? undefined : query.trim());
      if (seq === this.#searchSeq) this.#canned.set(replies);
    } catch (error) {
      if (seq === this.#searchSeq) this.#rowErrors.set({ ...this.#rowErrors.get(), search: refusedField(error).message });
    }
  }

  openCanned(reply: CannedReply | null): void {
    this.canned.reset(reply ? { id: reply.id, shortcut: reply.shortcut, title: reply.title, body: reply.body } : EMPTY_CANNED);
    this.#cannedOpen.set(true);
  }

  closeCanned(): void {
    this.#cannedOpen.set(false);
    this.canned.reset(EMPTY_CANNED);
  }

  async saveCanned(): Promise<boolean> {
    const saved = await this.canned.submit(async (values) => {
      const fields: CannedReplyFields = { shortcut: values.shortcut, title: values.title.trim(), body: values.body };
      return values.id === null
        ? this.#source.createCannedReply(fields)
        : this.#source.updateCannedReply(values.id, fields);
    });
    if (saved) {
      this.#cannedOpen.set(false);
      await this.searchCanned(this.#cannedQuery.get());
    }
    return saved;
  }

  deleteCanned(id: string): Promise<void> {
    return this.#row(id, async () => {
      await this.#source.deleteCannedReply(id);
      this.#canned.set(this.#canned.get().filter((reply) => reply.id !== id));
    });
  }
}

export type { FieldErrors };
