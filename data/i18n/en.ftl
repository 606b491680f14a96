# tizilim console — English. Every message here exists in kk.ftl and ru.ftl
# (tests/tui.rs checks). Terms follow the glossary of the Rules.

app-title = tizilim — register of ABKs
pane-queue = Queue
pane-detail = Detail
pane-hearings = Hearings
pane-complaints = Complaints
pane-monitor = Deadlines

# status bar
status-overdue = overdue: { $n }
status-due-today = due today: { $n }
status-today = today { $date }
status-role = { $login } ({ $role })
status-calendar-ends = calendar ends { $date }
calendar-unpublished = calendar not yet published for { $year }
calendar-ends-soon = the calendar's data end on { $date }: add { $year } before it begins (tools/gen_calendar.py)

# roles
role-operator = operator
role-clerk = clerk
role-supervisor = supervisor
role-admin = admin

# queue
view-open = all open
view-incomplete = incomplete
view-awaiting-hearing = awaiting hearing
view-decided-today = decided today
view-search = search: { $q }
queue-title = { $view }
col-case = Case
col-kind = Kind
col-applicant = Applicant
col-registered = Registered
col-next-due = Next due
col-state = State
col-clock = Deadline
col-rule = Rule
col-started = Started
col-due = Due
col-left = Left
col-complaint = Complaint
col-to = To
col-status = Status
col-date = Date
col-place = Place
col-notice = Notice
col-hold-by = Hold by
col-serial = Serial
col-model = Model
col-hashrate = TH/s
col-power = kW
col-entry = Entry
col-actor = Who
col-event = What
queue-empty = No cases in this view.
search-empty = Nothing matches “{ $q }”.
filter-prompt = Filter (case number, applicant, BIN/IIN, serial):
filter-hint = Enter search · Esc cancel

# kinds and stages
kind-inclusion = inclusion
kind-exclusion = exclusion
kind-change = change
stage-incomplete = incomplete package
stage-under_review = under review
stage-hearing_notified = hearing notified
stage-hearing_held = hearing held
stage-included = included
stage-excluded = excluded
stage-amended = amended
stage-refused = refused
stage-refused_incomplete = refused (incomplete)

# clock states
state-overdue = OVERDUE
state-due_today = due today
state-due_soon = next work day
state-running = running
state-lapsed = lapsed
state-unknown = unknown
state-none = —
days-left = { $n ->
    [one] { $n } working day left
   *[other] { $n } working days left
}
days-over = { $n ->
    [one] overdue by { $n } working day
   *[other] overdue by { $n } working days
}
days-short = { $n } WD

# clocks (the Rules' table)
clock-refuse_incomplete = Send the reasoned refusal for an incomplete package
clock-decide_inclusion = Decide the inclusion application
clock-hearing_notice = Send the hearing notice (if refusing)
clock-hold_hearing = Hold the hearing
clock-decide_exclusion = Decide the exclusion application
clock-amend_register = Amend the register after a change notice
clock-report_change = The miner reports a change of register data
clock-inform_egov = Inform the e-government operator of a change of the Rules
clock-forward_complaint = Forward the complaint to the complaint body
clock-decide_complaint_provider = Decide the complaint addressed to the service provider
clock-decide_complaint_quality_body = Complaint decided by the quality-control body
clock-not-started = not started
clock-not-running = not at this stage
clock-done-in-time = done { $date }
clock-done-late = done { $date }, LATE { $n } WD

# detail
detail-none = No case open. Choose one in the Queue (1) and press Enter.
section-summary = Summary
section-units = ABKs
section-clocks = Deadlines
section-history = History
field-applicant = Digital miner
field-bin-iin = BIN/IIN
field-address = Legal address
field-contacts = Contacts
field-data-center = Data center
field-tn-ved = EAEU CN FEA code
field-received = Received
field-registered = Registered
field-channel = Channel
field-version = Version
field-documents = Documents
field-missing = Missing documents
field-conflicts = Conflicts
field-decisions = Decisions
field-complaints = Complaints
field-hearing = Hearing
field-actions = Actions (your role)
valid-until = valid until { $date }
expired = EXPIRED { $date }
no-expiry = no expiry date
nothing-missing = none
no-conflicts = none
conflict-line = { $serial } is in the register for { $miner } ({ $case })
actions-none = none at this stage
units-count = { $n ->
    [one] { $n } ABK
   *[other] { $n } ABKs
}
explain-received = Received { $at }: registered { $date }
explain-day0 = day 0
explain-day = day { $n }
explain-skipped = skipped
explain-counted-back = counted back { $n } WD from { $clock }
channel-portal = portal
channel-office = office
doc-ownership_proof = document of ownership (other legal right)
doc-end_of_right_proof = document of the end of the lease (use, sale) term
doc-change_basis = basis of the change
doc-power_of_attorney = power of attorney
doc-other = other

# actions (rules::workflow)

# history (journal event kinds)
event-register_created = register created
event-user_added = user added
event-case_registered = application registered
event-hearing_notified = hearing notice sent
event-hearing_held = hearing recorded
event-decision_issued = decision issued
event-complaint_lodged = complaint registered
event-complaint_forwarded = complaint forwarded
event-complaint_decided = complaint decided
event-calendar_amended = calendar amended

# hearings
hearings-upcoming = Upcoming
hearings-past = Past
hearings-empty = No hearings.
hearing-held = held { $date }
hearing-absent = applicant absent { $date }
hearing-pending = not yet recorded

# complaints
complaints-empty = No complaints.
body-provider = provider
body-quality_body = quality body
cstatus-received = received
cstatus-forwarded = forwarded
cstatus-decided = decided
complaint-text = Text

# monitor
monitor-empty = No running deadlines.

# help and keys
help-title = Keys
help-close = Esc or ? closes this help
key-pane-queue = Queue: open cases by next due date
key-pane-detail = Detail of the case opened
key-pane-hearings = Hearings by date
key-pane-complaints = Complaints and their deadlines
key-pane-monitor = Deadline monitor: every running clock
key-next-pane = Next pane
key-prev-pane = Previous pane
key-help = This help
key-quit = Quit
key-back = Back / close
key-open = Open the case
key-down = Move down
key-up = Move up
key-page-down = Page down
key-page-up = Page up
key-top = First row
key-bottom = Last row
key-filter = Filter: case number, applicant, BIN/IIN, serial
key-view = Next queue view (all open, incomplete, awaiting hearing, decided today)
key-section-next = Next section of the case
key-section-prev = Previous section of the case
hint-move = move
hint-open = open
hint-filter = filter
hint-view = view
hint-section = section
hint-help = help
hint-quit = quit
hint-back = back
layout-note = Keys act by position on Kazakh and Russian layouts too.

# messages
msg-no-role = { $login } has no role in this register, so the console shows nothing of it (personal data). Ask an administrator: tizilim user add { $login } --role clerk
msg-not-found = Case not found.
msg-updated = Updated: another session changed the register.
msg-too-small = Terminal too small

# explain: why a day counts or not
note-weekday = working day
note-weekend = weekend
note-holiday = holiday: { $name }
note-moved = day off moved from a holiday: { $name }
note-transfer = transfer act: { $name }
note-provisional = provisional date
note-amended-working = working day by amendment: { $act }
note-amended-off = day off by amendment: { $act }
wd-1 = Mon
wd-2 = Tue
wd-3 = Wed
wd-4 = Thu
wd-5 = Fri
wd-6 = Sat
wd-7 = Sun

outcome-granted = granted
outcome-partly_granted = partly granted
outcome-rejected = rejected

## Act forms (§11–§20) and the notice view
pane-notice = Notice
short-notify_hearing = preliminary refusal
short-record_hearing = record hearing
short-include = include
short-exclude = exclude
short-amend = amend
short-refuse = refuse
short-lodge_complaint = complaint
act-notify_hearing = Preliminary refusal and hearing notice (§11–§12)
act-record_hearing = Hearing record (§12)
act-decide = Decision (§9, §13–§15)
act-lodge = Complaint (§17)
act-forward = Forward the complaint (§18)
act-decide_complaint = Decide the complaint (§18–§20)
form-grounds = Grounds (App. 5)
form-reason = Reasoning
form-late-reason = Late reason
form-late-reason-note = required only after the last day: why the act is late
form-sent-on = Notice sent on
form-hearing-date = Hearing date
form-hearing-time = Hearing time
form-place = Place or means
form-hearing-outcome = Hearing
form-outcome-held = held
form-outcome-absent = applicant absent
form-position = Applicant's position
form-held-on = Held on
form-decision = Decision
form-decided-on = Decided on
form-passphrase = Key passphrase
form-passphrase-note = your signing key's passphrase: asked once per session
form-addressed-to = Addressed to
form-complaint-text = Complaint
form-received-on = Received on
form-complaint-outcome = Outcome
form-acted-on = Date
form-save = Save (Ctrl-S)
form-keys = Tab next field · Ctrl-S save · Esc close (input kept)
form-footer = Tab/Shift-Tab field · ←→ Space choose · Ctrl-S save · Esc close
form-bad-date = write the date as dd.mm.yyyy
form-bad-time = write the time as hh:mm
form-date-future = cannot be after today ({ $today })
form-date-before = cannot be before { $date }
form-day-off = { $date } is not a working day
form-required = required
form-need-ground = tick at least one ground (1–6)
form-notice-due = §12: send by { $date }
form-notice-late = §12: the notice was due by { $date }
form-office-hours = office hours { $hours }, working days
form-outside-hours = outside office hours ({ $hours })
form-hearing-due = §12: hold it by { $date } (2 working days after { $sent })
form-hearing-after = must come after the notice of { $date }
form-hearing-late = §12: the hearing must be held by { $date }
form-hearing-set = the hearing is set for { $when }
form-hearing-not-yet = §12: the hearing is set for { $when }; record it once it has taken place
form-reason-incomplete = §9: left empty, the refusal lists what the package lacks
form-act-late = { $rule }: the term ended on { $date }
form-decide-by = { $rule }: decide by { $date }
form-act-by = { $rule }: by { $date }
form-fix-errors = Not saved: correct the fields marked !
form-wrong-passphrase = wrong passphrase
form-stale = Not saved: { $subject } was changed by { $by } at { $at }. The case is reloaded and your input kept: check it and press Ctrl-S to apply it.
msg-form-kept = form closed; its input is kept until you open the same act again
msg-role-cannot = the role { $role } may not: { $act }
msg-not-at-stage = not possible at the stage "{ $stage }": { $act }
msg-no-notice = no notice has been issued on this case yet
msg-notice-written = written to { $path }
msg-notice-not-written = could not write { $path }: { $error }
done-notify_hearing = preliminary refusal saved; hearing { $when }
done-record_hearing = hearing recorded
done-decide = { $decision }: notice { $number } signed and issued
done-lodge = complaint { $number } registered
done-forward = { $number } forwarded
done-decide-complaint = { $number } decided
done-decide-complaint-reopened = { $number } decided; the case is reopened
key-act-notify = Preliminary refusal and hearing notice (§11–§12)
key-act-record = Record the hearing (§12)
key-act-decide = Decide: include, exclude, amend, refuse
key-act-lodge = Register a complaint on the case (§17)
key-notice = Show the case's latest signed notice
key-act-forward = Forward the complaint (§18)
key-act-decide-complaint = Decide the complaint (§18–§20)
key-write-notice = Write the notice to a file (printable HTML)
hint-act = decide
hint-forward = forward
hint-decide-complaint = decide
hint-write = write to file
## Register pane
pane-register = Register
key-pane-register = Register: find an entry, energy, serial conflicts
key-reg-find = Find a register entry: serial, BIN/IIN or entry number
key-reg-view = Next register view (find, energy, conflicts)
key-reg-group = Energy by region or by data centre
hint-find = find
hint-group = region/DC
reg-view-find = Find an entry
reg-view-energy = Energy
reg-view-conflicts = Serial conflicts
reg-query = Search
reg-entries = { $n ->
    [one] { $n } entry
   *[other] { $n } entries
}
reg-find-prompt = Press / to find an entry.
reg-find-help = Type a serial number, a BIN/IIN (12 digits) or an entry number and press Enter. The entry is shown with its miner, data centre, case, notices and every change the journal holds; Enter opens its case.
reg-find-empty = No register entry for “{ $q }”.
ustatus-pending = pending
ustatus-included = included
ustatus-excluded = excluded
ustatus-refused = refused
condition-serviceable = serviceable
condition-unserviceable = unserviceable
reg-entry = Entry { $n }
reg-enter-opens = Enter opens the case
reg-notices = Notices
reg-total = Total
reg-abks = ABKs
reg-region = Region
reg-region-unknown = region not recognised
reg-energy-by-region = Energy by region (included ABKs)
reg-energy-by-dc = Energy by data centre (included ABKs)
reg-energy-empty = No ABK is included in the register yet.
reg-conflicts-title = { $n ->
    [one] { $n } serial claimed by more than one miner
   *[other] { $n } serials claimed by more than one miner
}
reg-conflicts-empty = No serial is claimed by more than one miner.
reg-stage = Stage
event-notice_issued = notice issued
event-term_ended = term ended
event-case_reopened = case reopened
reg-abk-status = ABK: { $status }
## Intake form
key-intake = Register a paper application (intake at the desk)
hint-intake = intake
intake-title = Paper application (Appendices 2, 3, 4, 9)
intake-paper = paper application
intake-part-application = Application
intake-part-units = ABKs ({ $n })
intake-part-documents = Documents ({ $n })
intake-units-title = ABK data (Appendix 3)
intake-documents-title = Documents attached
intake-f-kind = Kind of application
intake-f-received = Received (date, time)
intake-f-name = Name of the applicant
intake-f-bin = BIN/IIN
intake-f-address = Legal address
intake-f-phone = Mobile phone
intake-f-email = E-mail
intake-f-consent = Personal data consent
intake-consent-given = given (Law on personal data)
intake-f-data-center = Data center location
intake-f-tn-ved = EAEU CN FEA code
intake-f-changed-on = Date of the change
intake-f-reason = Reason for the change
intake-kind-inclusion = inclusion
intake-kind-exclusion = exclusion
intake-kind-change = change
intake-note-received = as dd.mm.yyyy hh:mm, Almaty time
intake-col-brand = Brand
intake-col-declaration = Decl. no
intake-col-condition = Condition
intake-cond-serviceable = serviceable
intake-cond-unserviceable = unserviceable
intake-col-doc-kind = Document
intake-col-doc-name = Name
intake-col-valid-until = Valid until
intake-save = Register (Ctrl-S)
intake-keys-application = Tab ↓ next · PgDn the ABKs · Ctrl-S register · Esc close
intake-keys-units = ^N add ^D duplicate ^K delete row · Enter next row · paste serials
intake-keys-documents = ^N add ^D duplicate ^K delete row · Space the kind
intake-footer = F5 F6 F7 parts · Ctrl-S register · Esc close (the draft is kept)
intake-err-required = is required
intake-err-number = must be a positive number
intake-err-consent = must be given: without it the service cannot be provided
intake-err-time = write the time as dd.mm.yyyy hh:mm
intake-err-date = write the date as dd.mm.yyyy
intake-err-bin-digits = must be exactly 12 digits
intake-err-bin-never = not a valid number: its check digit computes to 10
intake-err-bin-check = check digit is { $have }, must be { $want }: a typo?
intake-serial-included = { $serial } is already in the register (entry { $entry }, { $case }, BIN/IIN { $bin })
intake-serial-pending = { $serial } is applied for by another miner ({ $case }, BIN/IIN { $bin })
intake-fix-errors = Not registered: correct the fields marked “!”.
intake-registered = Registered as { $case }.
intake-resubmission = Already registered as { $case }: the same application again, nothing stored.
intake-incomplete = Incomplete: { $missing } — { $rule } refusal due { $date }
intake-deadlines = Deadlines:
intake-saved-keys = Enter open the case · i next application · Esc close
intake-not-allowed = Your role may not register applications.
intake-closed = The form is closed; its draft is kept (i resumes it).
intake-draft-offer = A draft from { $at } is waiting ({ $name }).
intake-draft-keys = Enter resumes · d discards · Esc later
intake-draft-confirm = Press d again to discard the draft (Enter resumes it).
intake-draft-discarded = The draft was discarded.
intake-draft-failed = The draft could not be written: { $error }
intake-missing = { $doc }: not submitted
msg-act-drafts = Not saved in the last session: { $list }. Open the same act on the case to go on.

# errors: the CLI's and the console's refusals (i18n::Message; cli::Failure)
err-detail = { $detail }
err-no-register = no register at { $path }: create one with `tizilim init` (or `tizilim demo`), or choose another with --db or TIZILIM_DB
err-exists = a register already exists at { $path }
err-not-register = { $path } is not a tizilim register ({ $why }); it was left untouched
err-exists-not-register = { $path } exists and is not a tizilim register ({ $why }): init never overwrites a file; remove it or choose another --db
err-create-failed = cannot create the register { $path }: { $why }; nothing was left behind
err-newer = { $path } was made by a newer tizilim (schema v{ $found }; this one knows up to v{ $known }): use that version; the file was left untouched
err-read-only = the register { $path } is read-only here: the reading commands work, changes need write access
err-read-only-old = the register { $path } is read-only here and at schema v{ $found }: this tizilim reads v{ $known }, and upgrading it needs write access once
err-not-upgraded = the register { $path } is at schema v{ $found } and this tizilim works on v{ $known }: it is upgraded when one of its users opens it
err-forbidden = { $login } may not { $action }: that needs the role { $needed } (yours: { $have })
err-no-role = none — not a user of this register
err-not-found = { $what } not found
err-invalid = { $field }: { $message }
err-stale = { $subject } was changed by { $by } at { $at } (now version { $version }, you saw { $expected }); reload and try again
err-refused = { $rule }: { $message }
err-corrupt = the register is inconsistent: { $detail }
err-database = database: { $detail }
err-schema = database schema: { $detail }
err-journal-payload = journal payload: { $detail }
err-output = output error: cannot write to standard output: { $detail }
err-output-not-stored = output error: cannot write to standard output ({ $detail }); { $file } was not stored
err-output-not-stored-after = output error: cannot write to standard output ({ $detail }); { $file } was not stored, nor the { $n } file(s) after it
err-privilege = privilege: { $detail }
err-terminal = terminal: { $detail }
err-now-set-id = TIZILIM_NOW is refused by the installed program: the register's acts bear the real time
err-now-invalid = TIZILIM_NOW "{ $value }": { $reason } (RFC 3339, e.g. 2025-11-27T11:00:00+05:00)
err-lang = invalid value '{ $value }' for TIZILIM_LANG: [possible values: kk, ru, en]
err-no-login = user id { $uid } has no login name
err-login-lookup = cannot look up user id { $uid }: { $detail }
err-time = { $what }: { $detail }
err-init-system = only root creates the system register ({ $path }): run `sudo tizilim init`
err-demo-system = demo data never goes into the system register ({ $path }); name another file with --db
err-demo-held = { $path } already holds { $n } cases: demo fills a new register; add --append to add more to this one
err-demo-working = { $path } holds cases the demo did not make ({ $n }): demo data never goes into a working register; name another file with --db
err-passphrases-differ = the two passphrases differ
err-file = { $file }: { $detail }
err-out-file = --out { $file }: { $detail }
err-out-dotfile = --out { $file }: { $part } starts with a dot, and tizilim writes no dotfiles
err-out-exists = --out { $file } exists: tizilim writes only new files and never overwrites a file
err-out-symlink = --out { $file } is a symbolic link: tizilim never writes through one
err-out-outside = --out { $file }: this login writes files only in its notices folder { $dir } (a name alone, e.g. --out notice.html, goes there)
err-not-own-folder = { $dir } must be a folder of this login's own (not a symbolic link); nothing was written in it
err-not-utf8 = { $file }: not UTF-8 text
err-calendar-year = { $year } is outside the calendar ({ $first }–{ $last })
err-calendar-unpublished = calendar not yet published for { $year } (the data cover { $first }–{ $last })
err-damaged = the register { $path } is damaged ({ $why }): restore it from a backup (docs/operations.md, "Backups")
err-witness = the witness { $path } could not be written: { $detail }
err-backup-usage = give --out FILE to make a backup, or `backup verify FILE` to check one

# the supervisors' report of terms (report terms; issue 20)
report-title = Terms: acts in time and late
report-period = Acts done from { $from } to { $to }; clocks overdue on { $today }
report-acts = Acts
report-in-time = In time
report-late = Late
report-overdue-now = Overdue now
report-by-paragraph = By paragraph of the Rules
report-by-clerk = By clerk
report-by-month = By month
report-late-acts = Late acts and their reasons
report-col-rule = Paragraph
report-col-median = Median late (WD)
report-col-worst = Worst late (WD)
report-col-login = Login
report-col-month = Month
report-col-case = Case
report-col-due = Last day
report-col-done = Done on
report-col-late-wd = Late (WD)
report-col-actor = By
report-col-reason = Reason
report-none = none
report-chart-paragraph = Timeliness by paragraph
report-chart-month = Timeliness by month
report-legend = in time · late
report-wd-note = WD: working days, counted by the calendar of the Republic of Kazakhstan.

# the supervisors' view of terms (Deadlines pane, t)
terms-title = Terms { $from } – { $to }
terms-summary = { $acts } acts: { $ok } in time, { $late } late · overdue now: { $overdue }
terms-legend = █ in time  ▒ late  (t: back to the deadlines)
terms-legend-ascii = # in time  x late  (t: back to the deadlines)
key-mon-terms = The report of terms: acts in time and late (supervisors)
hint-terms = terms
msg-terms-role = The report of terms names clerks: it is for supervisors and admins.
terms-col-acts = acts
terms-col-late = late
terms-col-overdue = overdue

## The official wording (issue 21) and one word per thing (issue 17)
missing-expired = { $doc }: expired on { $date }
quoted = “{ $text }”
days-lapsed = { $n ->
    [one] lapsed { $n } working day ago (not overdue: the act was optional)
   *[other] lapsed { $n } working days ago (not overdue: the act was optional)
}

## The signature layer's refusals (issue 19): certificates, the trust store, CMS, timestamps
err-sign-bad-file = the key file { $path } is not valid: { $why }
err-sign-wrong-passphrase = wrong passphrase for the key file { $path }
err-sign-passphrase-file = passphrase: TIZILIM_PASSPHRASE_FILE { $file }: { $detail }
err-sign-no-terminal = passphrase: no terminal to ask on ({ $detail }); set TIZILIM_PASSPHRASE_FILE to a file holding it
err-sign-file = { $path }: { $why }
err-sign-certificate = certificate: { $why }
err-sign-too-open = the key file { $path } is open to others (mode { $mode }): run `chmod 600 { $path }`, as ssh asks of a private key
err-sign-tsa = timestamp authority { $url }: { $detail }
err-sign-no-certificate = { $login } has no certificate registered: import your .p12 with `tizilim key import FILE.p12`
err-p12-not-pkcs12 = not PKCS#12: { $detail }
err-p12-no-key = it holds no private key
err-p12-no-certificate = it holds no certificate
err-p12-key-not-certificates = the private key is not the certificate's
err-file-not-regular = not a regular file (a FIFO, a device or a folder is not read)
err-file-too-big = { $bytes } bytes, over the 16 MiB a file read here may have
err-file-grew = over the 16 MiB a file read here may have
err-trust-not-allowed = the trust store { $path } is not the package's { $system }: the installed program trusts no other
err-trust-read = the trust store { $path } cannot be read: { $detail }
err-trust-empty = the trust store { $path } holds no CA certificate (PEM): install the certifying centre's root there
err-trust-bad-file = the trust store file { $path } is neither a PEM certificate nor a CRL: { $detail }
err-cert-untrusted = the certificate does not chain to a CA in the trust store { $trust }: { $reason }
err-cert-not-valid = the certificate is not valid at { $at }: it is valid from { $from } to { $to }
err-cert-revoked = the certificate (serial { $serial }) is revoked on a CRL in the trust store since { $since }
err-cert-no-crl = the trust store has no valid CRL for the certificate's issuer { $issuer }: { $reason }
err-cert-key-usage = the certificate's key usage allows neither digitalSignature nor nonRepudiation
err-cert-gost = the certificate's key is GOST 34.10 ({ $oid }): no open implementation exists to check it today; sign with an RSA or ECDSA P-256 certificate
err-cert-algorithm = the certificate's key algorithm { $algorithm } is not accepted (RSA of 2048 bits and up, ECDSA P-256)
err-cert-no-iin = the certificate's subject names no IIN (serialNumber IIN + 12 digits)
err-cert-other-iin = the certificate is of IIN { $found }, but { $login }'s IIN is { $expected }
err-cert-login-no-iin = { $login } has no IIN in the register: an admin sets it (`tizilim user set { $login } --iin IIN`)
err-cert-damaged = the certificate cannot be read: { $detail }
err-cert-not-timestamping = the certificate's extended key usage does not include timeStamping
err-cms-damaged = the CMS signature cannot be read: { $detail }
err-cms-signers = the CMS signature has { $n } signers, not one
err-cms-no-certificate = the CMS signature does not carry its signer's certificate
err-cms-mismatch = the CMS signature does not match the content: { $detail }
err-cms-no-content = the CMS signature encapsulates no content
err-cms-certificate = signer's certificate: { $why }
err-tst-damaged = the timestamp token cannot be read: { $detail }
err-tst-other-signature = the timestamp stamps another signature
err-tst-signature = the timestamp's signature does not hold: { $detail }
err-tst-authority = the timestamp authority's certificate: { $why }
err-sig-unknown-algorithm = unknown signature algorithm { $algorithm }
err-sig-key-length = the public key is not 32 bytes
err-sig-public-key = public key: { $detail }
err-sig-signature = signature: { $detail }
err-sig-mismatch = the signature does not match the content
err-verify-no-block = no signature block: this is not a tizilim notice
err-verify-no-block-end = the signature block has no end
err-verify-lacks = the signature block lacks «{ $label }»
err-verify-misplaced = the signature block has «{ $line }» where «{ $label }» belongs
err-verify-no-algorithm = the signature block's key has no algorithm
err-verify-language = the signature block is in { $lang } but says the language is { $named }
err-verify-content-damaged = the signed content in the block is damaged
err-verify-signature-damaged = the signature in the block is damaged
err-verify-content-parse = the signed content does not parse: { $detail }
err-verify-unknown-key = key { $key } is not one of this register's keys
err-verify-public-key-damaged = the register's public key is damaged
err-verify-numbered = { $number }: { $why }
err-verify-wrong-signer = { $number }: the block names { $named } but key { $key } is { $owner }'s
err-verify-block-differs = { $number }: the block's number or key differs from the signed content
err-verify-not-issued = { $number } was not issued by this register
err-verify-other-document = { $number }: this register issued a different document under that number
err-verify-key-not-in-force = { $number }: key { $key } was not in force when it was signed (valid from { $from })
err-verify-key-not-in-force-revoked = { $number }: key { $key } was not in force when it was signed (valid from { $from }, revoked { $revoked })
err-verify-certificate-differs = { $number }: the CMS's certificate is not key { $key }, which the register holds for it
err-verify-timestamp = { $number }: the timestamp does not hold: { $why }
err-verify-trust = the trust store: { $why }
err-verify-not-a-notice = the CMS does not carry a tizilim notice ({ $detail })
err-verify-issue-time = { $number }: the register's time of issue { $at } does not parse
err-verify-text-differs = { $number }: the visible text differs from the signed content — { $difference }

## The `/` filter of Hearings, Complaints and Deadlines (src/tui/filter.rs)
key-list-filter = Filter: case or complaint number (2001 alone too), applicant
list-filter-hint = Enter keep · Esc clear

## acts21
err-ground-not-noticed = §11: grounds: { $new } not named in the hearing notice of { $case } (it named { $noticed }): a refusal on a new ground needs a new preliminary decision and hearing
err-grant-only = §18: { $complaint } is for the complaint body: within 3 working days (by { $due }) the provider may only grant it in full; otherwise it forwards it
err-grant-term-over = §18: { $complaint }: the provider could grant it only within 3 working days, by { $due }; forward it now
form-grant-only = §18: within 3 working days only a full grant (the favourable act); else forward it (f)
form-confirm-grant = Grant in full?
form-confirm-grant-no = no — forward it
form-confirm-grant-yes = yes — grant in full
form-confirm-grant-note = a full grant takes the act applied for, signed (§18)
form-confirm-grant-needed = choose "yes" to grant in full; to reject, close the form and forward the complaint (§18)
done-notify-hearing-signed = preliminary refusal { $number } signed and issued; hearing { $when }
done-decide-complaint-signed = { $number } decided; decision { $decision } signed and issued
done-decide-complaint-reopened-signed = { $number } decided; decision { $decision } signed and issued; the case is reopened
done-decide-complaint-act = { $number } granted in full (§18): { $act } and { $decision } signed
body-superior_body = superior body
body-official = official
form-ground-not-noticed = §11: { $grounds } not in the hearing notice: a new ground needs a new notice (p) and hearing

## casefile21
err-incomplete-package = §9: { $case } lacks { $missing } on { $on }: an inclusion needs the ownership proof on file and in force; attach it (tizilim case attach) or refuse under §9
err-delivery-before-issue = on: { $notice } was issued on { $issued_on }; it cannot have reached the applicant on { $on }
err-delivery-recorded = via: the delivery of { $notice } by { $via } is already on the record ({ $on })
err-already-attached = file: this file (SHA-256 { $sha256 }) is already attached to { $case } as { $name }
desk-receipt-title = RECEIPT OF THE REFUSAL TO ACCEPT DOCUMENTS (§9 of the Rules)
desk-receipt-number = Receipt No. { $receipt } of { $date }
desk-receipt-applicant = Applicant: { $name }, BIN/IIN { $bin_iin }
desk-receipt-kind = Application for { $kind }, brought to the office on { $at }
desk-receipt-missing = The package is incomplete: { $missing }
desk-receipt-body = Under §9 of the Rules the office does not accept a package that is incomplete or holds expired documents. The application was not registered; bring it again with the complete package, or file it on the portal.
desk-receipt-by = Refused by: { $actor }
intake-refused-at-desk = Refused at the desk (§9): the package is incomplete; no case is registered. Receipt { $receipt }:
intake-receipt-keys = Print the receipt for the applicant (tizilim doc receipt) · i next application · Esc close
act-attach = Attach a document to the case
act-deliver = Delivery of a notice to the applicant
short-attach = attach
short-deliver = delivered
key-act-attach = Attach a document to the case (its SHA-256 on the record)
key-act-deliver = Record how and when the notice reached the applicant
hint-deliver = delivered
form-doc-kind = Kind
form-doc-name = Name
form-doc-number = Number
form-doc-valid-until = Valid until
form-doc-received-on = Received on
form-doc-file = File
form-doc-file-note = the path of the scanned file (at most 16 MiB); the register keeps it
form-notice = Notice
form-via = Delivered by
form-delivered-on = Delivered on
via-cabinet = personal cabinet
via-email = e-mail
via-office = in person at the office
done-attach = document attached to { $case }
done-attach-incomplete = document attached to { $case }; the package still lacks: { $missing }
done-deliver = { $notice }: delivered by { $via }
notice-delivered = delivered: { $list }
notice-not-delivered = not yet delivered
err-not-at-desk = channel: only a package brought to the office is refused at the desk (§9); one filed on the portal is registered and refused within 2 working days
err-desk-complete = documents: the package is complete: register it (§9 refuses only an incomplete one)
err-empty-file = file: { $name } is empty
