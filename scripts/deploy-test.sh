#!/usr/bin/env bash
# The real deployment, end to end (issue 10): build the Debian package,
# install it, run sshd on 127.0.0.1 with a throwaway host key, log clerks in
# by key and check what they can and cannot do; then purge and check the
# register is still there.
#
# Needs root, a Debian machine, openssh-server, openssh-client, sqlite3 and
# cargo-deb. It creates the logins `tzclerk1`, `tzclerk2` (clerks),
# `tzstranger` (in the clerks' group, no role) and `tzoutsider` (not in the
# group), installs and purges the package system-wide, deletes
# /var/lib/tizilim first and runs the daily backup into /var/backups/tizilim,
# so it refuses to run unless CI=true or TIZILIM_DEPLOY_TEST=1 (never on a
# server in use).
#
#   TIZILIM_DEPLOY_TEST=1 scripts/deploy-test.sh            # builds with cargo deb
#   TIZILIM_DEB=target/debian/tizilim_0.1.0-1_amd64.deb ... # or a package already built
#   TIZILIM_DEB_PROFILE=dev ...   # package the dev build `cargo test` made (CI: saves
#                                 # a release build; the packaging is the same)
#   TIZILIM_SSH_PORT=2222 (default)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" != true ] && [ "${TIZILIM_DEPLOY_TEST:-}" != 1 ]; then
	echo "deploy-test: installs a package and creates logins; set TIZILIM_DEPLOY_TEST=1 (or CI=true) to run" >&2
	exit 2
fi
if [ "$(id -u)" != 0 ]; then
	echo "deploy-test: needs root" >&2
	exit 2
fi
for c in sshd ssh ssh-keygen sqlite3 dpkg apt-get setpriv; do
	if ! command -v "$c" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$c" ]; then
		echo "deploy-test: $c is missing (apt-get install openssh-server openssh-client sqlite3)" >&2
		exit 2
	fi
done

PORT=${TIZILIM_SSH_PORT:-2222}
T=$(mktemp -d /tmp/tizilim-deploy.XXXXXX)
chmod 0755 "$T"
REG=/var/lib/tizilim/register.sqlite
CLERKS=(tzclerk1 tzclerk2)
STRANGER=tzstranger
OUTSIDER=tzoutsider
SSHD_PID=
START=$(date +%s)
CHECKS=0

cleanup() {
	if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
	for u in "${CLERKS[@]}" "$STRANGER" "$OUTSIDER"; do
		pkill -KILL -u "$u" 2>/dev/null || true
	done
	if [ "${KEEP:-}" != 1 ]; then rm -rf "$T"; fi
}
trap cleanup EXIT

ok() {
	CHECKS=$((CHECKS + 1))
	echo "ok $CHECKS - $*"
}
fail() {
	echo "FAIL - $*" >&2
	if [ -f "$T/sshd.log" ]; then
		echo "--- sshd log (tail)" >&2
		tail -n 20 "$T/sshd.log" >&2
	fi
	exit 1
}
step() { echo "# $* ($(($(date +%s) - START)) s)"; }

# ---------------------------------------------------------------- the package
step "package"
DEB=${TIZILIM_DEB:-}
if [ -z "$DEB" ]; then
	PROFILE=${TIZILIM_DEB_PROFILE:-release}
	# The profile's folder (dev builds into debug/).
	case "$PROFILE" in dev) DIR=debug ;; *) DIR=$PROFILE ;; esac
	BUILT="${CARGO_TARGET_DIR:-target}/$DIR/tizilim"
	# cargo deb would rebuild everything with its own flags: build as cargo
	# does (for dev, a no-op after `cargo test`); the manual page and the
	# completions come from that binary (target/assets/, which the package's
	# assets name); then only package.
	cargo build --locked --profile "$PROFILE" --bin tizilim
	scripts/gen-man-completions.sh "$BUILT"
	cargo deb --locked --no-build --profile "$PROFILE"
	DEB=$(ls -t target/debian/tizilim_*.deb | head -n 1)
fi
[ -f "$DEB" ] || fail "no package at $DEB"
echo "# package $DEB: $(stat -c %s "$DEB") bytes"

# A clean slate (this is a test machine: see the guard above).
if dpkg -s tizilim >/dev/null 2>&1; then apt-get purge -y -q tizilim >/dev/null; fi
for u in "${CLERKS[@]}" "$STRANGER" "$OUTSIDER"; do
	if getent passwd "$u" >/dev/null; then userdel -r "$u" 2>/dev/null || true; fi
done
rm -rf /var/lib/tizilim

DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$(realpath "$DEB")" >"$T/apt.log" 2>&1 ||
	{
		cat "$T/apt.log" >&2
		fail "apt-get install of the package"
	}
ok "the package installs"

[ "$(stat -c '%U:%G %A' /usr/bin/tizilim)" = "tizilim:tizilim-clerks -rwsr-x---" ] ||
	fail "/usr/bin/tizilim is $(stat -c '%U:%G %A' /usr/bin/tizilim), want tizilim:tizilim-clerks -rwsr-x---"
[ "$(stat -c '%U:%G %a' /var/lib/tizilim)" = "tizilim:tizilim 2700" ] ||
	fail "/var/lib/tizilim is $(stat -c '%U:%G %a' /var/lib/tizilim), want tizilim:tizilim 2700"
getent group tizilim-clerks >/dev/null || fail "no group tizilim-clerks"
[ "$(getent passwd tizilim | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the account tizilim has a shell"
[ -f /etc/ssh/sshd_config.d/tizilim.conf ] || fail "no sshd snippet"
ok "account, group, folder 2700, program set-user-ID tizilim run by tizilim-clerks only (-rwsr-x---), sshd snippet"
[ -f /usr/share/man/man1/tizilim.1.gz ] || [ -f /usr/share/man/man1/tizilim.1 ] ||
	fail "no manual page /usr/share/man/man1/tizilim.1*"
[ -s /usr/share/bash-completion/completions/tizilim ] || fail "no bash completion"
grep -q 'intake' /usr/share/bash-completion/completions/tizilim ||
	fail "the bash completion does not know the subcommands"
[ -s /usr/share/zsh/vendor-completions/_tizilim ] || fail "no zsh completion"
[ -s /usr/share/fish/vendor_completions.d/tizilim.fish ] || fail "no fish completion"
ok "manual page tizilim(1) and bash, zsh and fish completions installed"

# ------------------------------------------------- the administrator's commands
step "administrator"
tizilim init >"$T/init.out" 2>&1 || {
	cat "$T/init.out"
	fail "root: tizilim init"
}
for u in "${CLERKS[@]}" "$STRANGER"; do
	useradd --create-home --shell /bin/sh --groups tizilim-clerks "$u"
	usermod -p '*' "$u" # no password, but not locked: key logins only
	mkdir -p "/home/$u/.ssh"
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$T/$u.key"
	cp "$T/$u.key.pub" "/home/$u/.ssh/authorized_keys"
	chown -R "$u:$u" "/home/$u/.ssh"
	chmod 0700 "/home/$u/.ssh"
	chmod 0600 "/home/$u/.ssh/authorized_keys"
done
for u in "${CLERKS[@]}"; do tizilim user add "$u" --role clerk >/dev/null; done
[ "$(stat -c '%U:%G %a' $REG)" = "tizilim:tizilim 600" ] ||
	fail "the register is $(stat -c '%U:%G %a' $REG) after root's init"
ok "root: init, user add (clerks); the register is tizilim:tizilim 0600"

# ------------------------------------------------------------------ sshd
step "sshd on 127.0.0.1:$PORT"
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key"
mkdir -p /run/sshd
# Laid out like Debian's sshd_config: the snippets first, then the globals.
cat >"$T/sshd_config" <<EOF
Include /etc/ssh/sshd_config.d/*.conf
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding yes
AllowTcpForwarding yes
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
/usr/sbin/sshd -t -f "$T/sshd_config" || fail "sshd -t"
# The snippet's Match applies to clerks only, and overrides the globals for them.
eff() { /usr/sbin/sshd -T -f "$T/sshd_config" -C "user=$1,host=localhost,addr=127.0.0.1" | grep -i "^$2 " || true; }
[ "$(eff tzclerk1 forcecommand)" = "forcecommand /usr/bin/tizilim --ssh-session" ] ||
	fail "clerk's forcecommand: $(eff tzclerk1 forcecommand)"
[ "$(eff tzclerk1 allowtcpforwarding)" = "allowtcpforwarding no" ] || fail "clerk may forward TCP"
[ "$(eff tzclerk1 x11forwarding)" = "x11forwarding no" ] || fail "clerk may forward X11"
[ "$(eff root forcecommand)" = "forcecommand none" ] || fail "root's forcecommand: $(eff root forcecommand)"
ok "sshd -T: clerks get ForceCommand and no forwarding; others unaffected"

/usr/sbin/sshd -f "$T/sshd_config" -E "$T/sshd.log"
for _ in $(seq 50); do [ -s "$T/sshd.pid" ] && break; sleep 0.1; done
SSHD_PID=$(cat "$T/sshd.pid")
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/host_key.pub")" >"$T/known_hosts"

SSHO=(-p "$PORT" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
	-o UserKnownHostsFile="$T/known_hosts" -o LogLevel=ERROR -o ConnectTimeout=10)
# as LOGIN [ssh options...] HOST [remote command words...] (at most 2 minutes)
as() {
	local u=$1
	shift
	timeout 120 ssh "${SSHO[@]}" -i "$T/$u.key" "$@"
}
host() { echo "$1@127.0.0.1"; }
# console LOGIN SECONDS: the console over `ssh -tt` in a 100x30 terminal (the
# client runs under `script`, so the pty has a size), `q` after SECONDS.
console() {
	(sleep "$2"; printf q; sleep 2) |
		script -qec "stty cols 100 rows 30; exec timeout 60 ssh ${SSHO[*]} -i $T/$1.key -tt $1@127.0.0.1" /dev/null
}

# ------------------------------------------------------------ working over SSH
step "clerks over ssh"
for u in "${CLERKS[@]}"; do
	out=$(as "$u" -T "$(host "$u")" tizilim case list 2>&1) || fail "$u: tizilim case list: $out"
done
ok "both clerks run tizilim case list over ssh -T"

app() { # app N: a valid inclusion application, serials TZDEPLOY-N-…
	cat <<EOF
{"kind": "inclusion", "channel": "portal", "received_at": "2024-03-20T19:05:00+05:00",
 "applicant": {"name": "Ekibastuz Compute LLP", "bin_iin": "210540000176",
   "legal_address": "Ekibastuz, Satpayev st. 12", "phone": "+7 701 123 45 67",
   "email": "office@example.kz", "personal_data_consent": true},
 "data_center": "Pavlodar region, Ekibastuz, industrial zone 4", "tn_ved_code": "8471 50 000 0",
 "units": [{"brand": "Bitmain", "model": "Antminer S19j Pro", "serial": "TZDEPLOY-$1-1",
   "hashrate_ths": 104.0, "power_kw": 3.07, "declaration_no": "10228110823/7603119",
   "condition": "serviceable"}],
 "documents": [{"kind": "ownership_proof", "name": "lease-2024-17.pdf", "valid_until": "2026-12-31"}]}
EOF
}
app 0 | as tzclerk1 -T "$(host tzclerk1)" tizilim intake - --json >"$T/intake.json" 2>&1 ||
	fail "tzclerk1: intake over ssh: $(cat "$T/intake.json")"
CASE=$(grep -o 'ABK-[0-9]*-[0-9]*' "$T/intake.json" | head -n 1)
[ -n "$CASE" ] || fail "no case number in $(cat "$T/intake.json")"
ok "tzclerk1 registers an application over ssh (stdin): $CASE"

out=$(as tzclerk2 -T "$(host tzclerk2)" tizilim case list --json 2>&1) || fail "tzclerk2: case list: $out"
grep -q "$CASE" <<<"$out" || fail "tzclerk2 does not see $CASE: $out"
out=$(as tzclerk2 -T "$(host tzclerk2)" tizilim case show "'$CASE'" 2>&1) || fail "tzclerk2: case show: $out"
grep -q TZDEPLOY-0-1 <<<"$out" || fail "tzclerk2: case show lacks the serial: $out"
ok "tzclerk2 sees tzclerk1's case (case list, case show)"

# The console: a pty, no command; `q` quits it.
export TERM=xterm-256color
console tzclerk1 4 >"$T/console.out" 2>&1 || true
grep -aq "ABK-2024-" "$T/console.out" ||
	fail "the console over ssh -tt showed: $(head -c 600 "$T/console.out" | cat -v)"
pgrep -u tzclerk1 -x tizilim >/dev/null && fail "the console did not quit on q"
console tzstranger 3 >"$T/console2.out" 2>&1 || true
grep -aq "no role" "$T/console2.out" || fail "the console told tzstranger: $(head -c 600 "$T/console2.out" | cat -v)"
grep -aq "ABK-\|TZDEPLOY\|Ekibastuz" "$T/console2.out" && fail "the console showed tzstranger register data"
ok "the console over ssh -tt (no command): tzclerk1 sees the queue and quits with q; tzstranger is told there is no role and sees nothing"

# A login in the clerks' group but without a role in the register.
for cmd in "case list" "register export" "deadlines" "user list" "audit verify" "calendar explain $CASE"; do
	# shellcheck disable=SC2086
	if as "$STRANGER" -T "$(host "$STRANGER")" tizilim $cmd >"$T/s.out" 2>"$T/s.err"; then
		fail "$STRANGER: tizilim $cmd succeeded: $(cat "$T/s.out")"
	fi
	grep -q "may not read the register" "$T/s.err" || fail "$STRANGER: tizilim $cmd said: $(cat "$T/s.err")"
	grep -q "none" "$T/s.err" || fail "$STRANGER: not told they have no role: $(cat "$T/s.err")"
	if grep -q "$CASE\|TZDEPLOY\|Ekibastuz" "$T/s.out" "$T/s.err"; then
		fail "$STRANGER: tizilim $cmd showed register data: $(cat "$T/s.out" "$T/s.err")"
	fi
done
ok "a login without a role is told so and sees nothing (case list, register export, deadlines, user list, audit verify, calendar explain)"

# ------------------------------------------------------ only through the program
step "the register's files"
for cmd in "cat $REG" "sqlite3 $REG .dump" "/bin/sh" "internal-sftp" "scp -f $REG"; do
	if out=$(as tzclerk1 -T "$(host tzclerk1)" "$cmd" 2>&1 </dev/null); then
		fail "tzclerk1 ran '$cmd' over ssh: $out"
	fi
	grep -q "runs tizilim only" <<<"$out" || fail "'$cmd' over ssh said: $out"
done
if timeout 20 sftp -P "$PORT" -i "$T/tzclerk1.key" -o IdentitiesOnly=yes -o BatchMode=yes \
	-o UserKnownHostsFile="$T/known_hosts" -o LogLevel=ERROR -b - "$(host tzclerk1)" \
	<<<"get $REG $T/stolen" >/dev/null 2>&1 || [ -e "$T/stolen" ]; then
	fail "tzclerk1 could use sftp"
fi
# Forwarding: a stdio forward (-W) asks for a channel at once; sshd refuses it.
if timeout 20 ssh "${SSHO[@]}" -i "$T/tzclerk1.key" -W "127.0.0.1:$PORT" "$(host tzclerk1)" </dev/null >"$T/fwd.out" 2>&1; then
	fail "tzclerk1 could forward a port"
fi
grep -q "^SSH-" "$T/fwd.out" && fail "tzclerk1 reached 127.0.0.1:$PORT through a forward"
ok "over ssh: cat, sqlite3, a shell, sftp, scp and port forwarding are refused"

# Even with a shell (locally, as the clerk), the files stay shut.
for f in "$REG" "$REG-wal" "$REG-shm"; do
	[ -e "$f" ] || continue
	[ "$(stat -c '%U:%G %a' "$f")" = "tizilim:tizilim 600" ] ||
		fail "$f is $(stat -c '%U:%G %a' "$f") after two clerks' sessions"
done
clerk() { setpriv --reuid="$1" --regid="$1" --init-groups --reset-env -- "${@:2}"; }
for f in "$REG" "$REG-wal" "$REG-shm" /var/lib/tizilim; do
	if clerk tzclerk1 cat "$f" >/dev/null 2>&1 || clerk tzclerk1 ls "$f" >/dev/null 2>&1; then
		fail "tzclerk1 can read $f"
	fi
done
if clerk tzclerk1 sqlite3 "$REG" "select count(*) from users" >/dev/null 2>&1; then
	fail "tzclerk1 can open the register with sqlite3"
fi
if clerk tzclerk1 sqlite3 "file:$REG?mode=ro" "select count(*) from users" >/dev/null 2>&1; then
	fail "tzclerk1 can read the register with sqlite3"
fi
ok "as the clerk: cat, ls and sqlite3 on the register, WAL, shm and folder are denied; files tizilim 0600"

# --db / TIZILIM_DB give no privilege; the environment changes no identity.
if out=$(clerk tzclerk1 env TIZILIM_DB=/var/lib/tizilim/../tizilim/register.sqlite tizilim case list 2>&1); then
	fail "TIZILIM_DB alias opened the register: $out"
fi
if out=$(clerk tzclerk1 tizilim --db "$T/../$(basename "$T")/x/../../../var/lib/tizilim/register.sqlite" case list 2>&1); then
	fail "--db alias opened the register: $out"
fi
mkdir -p "$T/own" && chown tzclerk1 "$T/own"
clerk tzclerk1 env TIZILIM_DB="$T/own/r.sqlite" tizilim init >/dev/null 2>&1 || fail "tzclerk1: init of an own file"
[ "$(stat -c %U "$T/own/r.sqlite")" = tzclerk1 ] || fail "an own --db file was created as $(stat -c %U "$T/own/r.sqlite")"
if clerk tzclerk1 tizilim --db "$T/own/r.sqlite" case list >/dev/null 2>&1; then :; else
	fail "tzclerk1 cannot use their own register"
fi
if out=$(clerk tzclerk1 tizilim init 2>&1); then fail "a clerk ran init on the system register: $out"; fi
grep -q "only root" <<<"$out" || fail "init by a clerk said: $out"
# Nor by a copy of a register of the clerk's own (issue 22: migrate --to).
if out=$(clerk tzclerk1 tizilim --db "$T/own/r.sqlite" migrate --to /var/lib/tizilim/register.sqlite 2>&1); then
	fail "a clerk copied a register into the system register: $out"
fi
grep -q "only root makes the system register" <<<"$out" || fail "migrate by a clerk said: $out"
if out=$(clerk tzclerk1 env USER=root LOGNAME=root SUDO_USER=root HOME=/root tizilim user add tzclerk1 --role admin 2>&1); then
	fail "the environment made tzclerk1 an admin: $out"
fi
grep -q "tzclerk1 may not" <<<"$out" || fail "user add by a clerk said: $out"
if out=$(clerk tzclerk1 tizilim demo --cases 1 --units 1 2>&1); then fail "demo into the system register: $out"; fi
ok "--db/TIZILIM_DB elsewhere: the clerk's own rights only; init or migrate --to by a clerk refused; USER/LOGNAME change nothing; no demo data"

# Signing (issue 19): the package's root-owned trust store holds a TEST CA
# (root made it; its key stays in a root-only folder). The clerk's .p12 is
# the clerk's own file, read by the set-ID program with the clerk's rights;
# a .p12 others may read is refused, as ssh refuses a private key.
[ "$(stat -c '%U %a' /etc/tizilim/trust)" = "root 755" ] || fail "/etc/tizilim/trust is $(stat -c '%U %a' /etc/tizilim/trust)"
printf 'tzclerk1 passphrase\n' >"$T/own/pass" && chown tzclerk1 "$T/own/pass" && chmod 0600 "$T/own/pass"
printf 'root passphrase long\n' >"$T/rootpass" && chmod 0600 "$T/rootpass"
tizilim key test-ca /etc/tizilim/trust >"$T/key.out" 2>&1 || fail "root: key test-ca: $(cat "$T/key.out")"
tizilim user set tzclerk1 --iin 880101300123 >"$T/key.out" 2>&1 || fail "root: user set: $(cat "$T/key.out")"
tizilim user set root --iin 900202400121 >"$T/key.out" 2>&1 || fail "root: user set root: $(cat "$T/key.out")"
TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim key test-certificate --iin 880101300123 --name "Clerk One" \
	--out "$T/own/clerk.p12" >"$T/key.out" 2>&1 || fail "root: test certificate: $(cat "$T/key.out")"
chown tzclerk1 "$T/own/clerk.p12" && chmod 0644 "$T/own/clerk.p12"
if out=$(clerk tzclerk1 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim key import "$T/own/clerk.p12" 2>&1); then
	fail "tzclerk1 imported a world-readable .p12: $out"
fi
grep -q "open to others" <<<"$out" || fail "a world-readable .p12 said: $out"
chmod 0600 "$T/own/clerk.p12"
if out=$(clerk tzclerk1 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" TIZILIM_TRUST_DIR="$T/own" tizilim key import "$T/own/clerk.p12" 2>&1); then
	fail "tzclerk1 named a trust store of their own: $out"
fi
grep -q "trusts no other" <<<"$out" || fail "a clerk's own trust store said: $out"
clerk tzclerk1 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim key import "$T/own/clerk.p12" --name "Clerk One" \
	>"$T/key.out" 2>&1 || fail "tzclerk1: key import: $(cat "$T/key.out")"
clerk tzclerk1 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim key import "$T/own/clerk.p12" >"$T/key.out" 2>&1 ||
	fail "tzclerk1: importing again: $(cat "$T/key.out")"
grep -q "already registered" "$T/key.out" || fail "tzclerk1: key import again said: $(cat "$T/key.out")"
if clerk tzclerk2 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim key import "$T/own/clerk.p12" >/dev/null 2>&1; then
	fail "tzclerk2 read tzclerk1's .p12"
fi
# The admin seals the journal's head with a certificate of its own IIN.
TIZILIM_PASSPHRASE_FILE="$T/rootpass" tizilim key test-certificate --iin 900202400121 --name "Root Admin" \
	--out "$T/root.p12" >"$T/key.out" 2>&1 || fail "root: test certificate: $(cat "$T/key.out")"
TIZILIM_PASSPHRASE_FILE="$T/rootpass" tizilim key import "$T/root.p12" >"$T/key.out" 2>&1 || fail "root: key import: $(cat "$T/key.out")"
TIZILIM_PASSPHRASE_FILE="$T/rootpass" tizilim audit seal --out "$T/seal" >"$T/seal.out" 2>&1 ||
	fail "root: audit seal: $(cat "$T/seal.out")"
tizilim audit verify --seal "$T/seal" >"$T/seal.out" 2>&1 || fail "root: audit verify --seal: $(cat "$T/seal.out")"
ok "key import: the clerk's own 0600 .p12, read as the clerk; a readable one and a clerk's own trust store refused; root seals the journal"

# ------------------------------------------------------------- files written
step "files a clerk writes"
# A notice to render: tzclerk1 decides the case (signed with the key above).
clerk tzclerk1 env TIZILIM_PASSPHRASE_FILE="$T/own/pass" tizilim case decide "$CASE" include \
	--on 2024-03-27 --json >"$T/decide.out" 2>&1 || fail "tzclerk1: case decide: $(cat "$T/decide.out")"
DOC=$(grep -o 'INC-[0-9]*-[0-9]*' "$T/decide.out" | head -n 1)
[ -n "$DOC" ] || fail "no notice number in $(cat "$T/decide.out")"
H1=/home/tzclerk1
printf '# tzclerk1 bashrc\n' >"$H1/.bashrc"
chown tzclerk1:tzclerk1 "$H1/.bashrc"
bashrc=$(sha256sum "$H1/.bashrc")
# sshd runs the forced command through the login's shell, and bash reads
# ~/.bashrc first: no --out may write a dotfile, and a clerk writes only into
# ~/tizilim-notices.
for cmd in "doc render $DOC --format text --out .bashrc" "case export $CASE --out .bashrc" \
	"doc render $DOC --out $H1/.bashrc" "doc render $DOC --out .ssh/rc"; do
	# shellcheck disable=SC2086
	if as tzclerk1 -T "$(host tzclerk1)" tizilim $cmd >"$T/f.out" 2>&1; then
		fail "tzclerk1: tizilim $cmd succeeded: $(cat "$T/f.out")"
	fi
	grep -q "writes no dotfiles" "$T/f.out" || fail "tzclerk1: tizilim $cmd said: $(cat "$T/f.out")"
done
for cmd in "doc render $DOC --out $H1/notice.html" "doc render $DOC --out /tmp/notice.html" \
	"case export $CASE --out bin/case.tar"; do
	# shellcheck disable=SC2086
	if as tzclerk1 -T "$(host tzclerk1)" tizilim $cmd >"$T/f.out" 2>&1; then
		fail "tzclerk1: tizilim $cmd succeeded: $(cat "$T/f.out")"
	fi
	grep -q "only in its notices folder $H1/tizilim-notices" "$T/f.out" ||
		fail "tzclerk1: tizilim $cmd said: $(cat "$T/f.out")"
done
[ "$(sha256sum "$H1/.bashrc")" = "$bashrc" ] || fail "~tzclerk1/.bashrc changed"
[ ! -e "$H1/.ssh/rc" ] || fail "~tzclerk1/.ssh/rc was written"
if [ -e /tmp/notice.html ] || [ -e "$H1/notice.html" ]; then fail "a notice was written outside ~/tizilim-notices"; fi
ok "a clerk's --out .bashrc (doc render, case export), .ssh/rc and paths outside ~/tizilim-notices are refused; ~/.bashrc unchanged"
out=$(as tzclerk1 -T "$(host tzclerk1)" tizilim doc render "$DOC" --format html --out notice.html 2>&1) ||
	fail "tzclerk1: doc render --out notice.html: $out"
as tzclerk1 -T "$(host tzclerk1)" tizilim case export "$CASE" --out case.tar >"$T/f.out" 2>&1 ||
	fail "tzclerk1: case export --out case.tar: $(cat "$T/f.out")"
[ "$(stat -c '%U %a' "$H1/tizilim-notices")" = "tzclerk1 700" ] ||
	fail "~tzclerk1/tizilim-notices is $(stat -c '%U %a' "$H1/tizilim-notices")"
for f in notice.html case.tar; do
	[ "$(stat -c '%U %a' "$H1/tizilim-notices/$f")" = "tzclerk1 600" ] ||
		fail "~tzclerk1/tizilim-notices/$f is $(stat -c '%U %a' "$H1/tizilim-notices/$f" 2>&1)"
done
grep -q "$H1/tizilim-notices/notice.html" <<<"$out" || fail "doc render did not say where: $out"
if as tzclerk1 -T "$(host tzclerk1)" tizilim doc render "$DOC" --out notice.html >"$T/f.out" 2>&1; then
	fail "tzclerk1 wrote over ~/tizilim-notices/notice.html"
fi
clerk tzclerk1 tizilim doc verify "$H1/tizilim-notices/notice.html" >"$T/f.out" 2>&1 ||
	fail "the notice written does not verify: $(cat "$T/f.out")"
ok "--out notice.html and case.tar land in ~/tizilim-notices (0700) as the clerk's, 0600, never over a file; the notice verifies"

# ------------------------------------------------------ who may run it at all
step "outside the clerks' group"
[ "$(stat -c '%U:%G %A' /usr/bin/tizilim)" = "tizilim:tizilim-clerks -rwsr-x---" ] ||
	fail "/usr/bin/tizilim is $(stat -c '%U:%G %A' /usr/bin/tizilim)"
useradd --create-home --shell /bin/sh "$OUTSIDER"
id -nG "$OUTSIDER" | grep -qw tizilim-clerks && fail "$OUTSIDER is in tizilim-clerks"
# Some machines' filesystems (this project's sandboxes among them) do not
# enforce the execute bit for binaries: a control binary, mode 0700 root, tells.
cp /bin/true "$T/control"
chmod 0700 "$T/control"
if clerk "$OUTSIDER" "$T/control" 2>/dev/null; then
	enforced=no
else
	enforced=yes
fi
if [ "$enforced" = yes ]; then
	if clerk "$OUTSIDER" /usr/bin/tizilim --version >"$T/o.out" 2>&1; then
		fail "$OUTSIDER ran tizilim: $(cat "$T/o.out")"
	fi
	grep -qi "permission denied" "$T/o.out" || fail "$OUTSIDER was told: $(cat "$T/o.out")"
fi
# Whatever the filesystem does, an outsider's act is refused for want of a
# role before any write lock is taken.
app OUTSIDER >"$T/outsider.json"
chmod a+r "$T/outsider.json"
if clerk "$OUTSIDER" /usr/bin/tizilim intake "$T/outsider.json" >"$T/o.out" 2>&1; then
	fail "$OUTSIDER ran tizilim intake: $(cat "$T/o.out")"
fi
if [ "$enforced" = no ]; then
	grep -q "may not" "$T/o.out" || fail "$OUTSIDER's intake was not refused for its role: $(cat "$T/o.out")"
fi
if [ "$enforced" = yes ]; then
	ok "the program is -rwsr-x--- tizilim:tizilim-clerks; $OUTSIDER (not in the group) cannot execute it"
else
	ok "the program is -rwsr-x--- tizilim:tizilim-clerks; this machine's filesystem does not enforce the execute bit (a 0700 root control binary ran as $OUTSIDER), so the outsider ran it, and its intake was refused: $(head -c 200 "$T/o.out")"
fi

# ------------------------------------------------------------------- SIGHUP
step "SIGHUP"
mkdir -p "$T/apps"
template=$(app N)
for i in $(seq 1 1500); do printf '%s\n' "${template//TZDEPLOY-N-/TZDEPLOY-$i-}" >"$T/apps/$i"; done
chmod -R a+rX "$T/apps"
# A pty session registering many files; the client vanishes mid-way, so sshd
# closes the pty and the kernel hangs the session up.
ssh "${SSHO[@]}" -i "$T/tzclerk2.key" -tt "$(host tzclerk2)" tizilim intake "$T"/apps/* >"$T/hup.out" 2>&1 </dev/null &
SSH=$!
for _ in $(seq 100); do
	grep -q "registered as" "$T/hup.out" 2>/dev/null && break
	sleep 0.1
done
kill -KILL "$SSH" 2>/dev/null || true
wait "$SSH" 2>/dev/null || true
for _ in $(seq 100); do pgrep -u tzclerk2 -x tizilim >/dev/null || break; sleep 0.1; done
if pgrep -u tzclerk2 -x tizilim >/dev/null; then fail "tizilim lives on after the session hung up"; fi
# And a SIGHUP straight to a running console (when this build has one).
console tzclerk1 30 >/dev/null 2>&1 &
SSH=$!
for _ in $(seq 50); do pgrep -u tzclerk1 -x tizilim >/dev/null && break; sleep 0.1; done
if pgrep -u tzclerk1 -x tizilim >/dev/null; then
	sleep 1
	pkill -HUP -u tzclerk1 -x tizilim || true
	for _ in $(seq 100); do pgrep -u tzclerk1 -x tizilim >/dev/null || break; sleep 0.1; done
	pgrep -u tzclerk1 -x tizilim >/dev/null && fail "the console lives on after SIGHUP"
	echo "# the console ended on SIGHUP"
else
	echo "# no long-running console in this build: SIGHUP checked on intake only"
fi
kill "$SSH" 2>/dev/null || true
wait "$SSH" 2>/dev/null || true
out=$(as tzclerk1 -T "$(host tzclerk1)" tizilim audit verify 2>&1) || fail "audit verify after SIGHUP: $out"
n=$(as tzclerk1 -T "$(host tzclerk1)" tizilim case list --json | grep -o 'ABK-[0-9]*-[0-9]*' | sort -u | wc -l)
echo "# the session hung up after $((n - 1)) of 1500 applications ($(grep -c "registered as" "$T/hup.out" || true) reported)"
# (A file is reported before its transaction commits: a hang-up between the
# two leaves it reported on a screen no one sees, and not stored.)
[ "$n" -ge 1 ] && [ "$n" -le 1501 ] || fail "$n cases after the hang-up"
ok "SIGHUP of the SSH session (intake, console): no process left, audit verify: $out"

# ------------------------------------------------------------- daily backup
step "daily backup"
for f in /usr/lib/tizilim/backup /lib/systemd/system/tizilim-backup.service \
	/lib/systemd/system/tizilim-backup.timer /etc/default/tizilim-backup; do
	[ -f "$f" ] || fail "the package did not install $f"
done
[ -x /usr/lib/tizilim/backup ] || fail "/usr/lib/tizilim/backup is not executable"
ok "the package installs /usr/lib/tizilim/backup, tizilim-backup.service and .timer, /etc/default/tizilim-backup"
BK=/var/backups/tizilim
rm -f "$BK"/register-*.sqlite
cp /etc/default/tizilim-backup "$T/backup.default"
/usr/lib/tizilim/backup >"$T/backup.out" 2>&1 || fail "the daily backup: $(cat "$T/backup.out")"
copies=("$BK"/register-*.sqlite) # in the order of their names: of their times
copy=${copies[0]}
[ -f "$copy" ] || fail "the daily backup wrote nothing into $BK: $(cat "$T/backup.out")"
[ "$(stat -c '%U %a' "$BK")" = "root 700" ] || fail "$BK is $(stat -c '%U %a' "$BK")"
[ "$(stat -c '%U %a' "$copy")" = "root 600" ] || fail "$copy is $(stat -c '%U %a' "$copy")"
out=$(tizilim backup verify "$copy" 2>&1) || fail "backup verify $copy: $out"
ok "/usr/lib/tizilim/backup as root: a 0600 copy in $BK (0700) that backup verify accepts ($out)"
# The newest KEEP copies stay (copies are named to the second).
sed -i 's/^KEEP=.*/KEEP=2/' /etc/default/tizilim-backup
for _ in 1 2 3; do
	sleep 1
	/usr/lib/tizilim/backup >"$T/backup.out" 2>&1 || fail "the daily backup (KEEP=2): $(cat "$T/backup.out")"
done
cp "$T/backup.default" /etc/default/tizilim-backup
copies=("$BK"/register-*.sqlite)
[ "${#copies[@]}" = 2 ] || fail "KEEP=2: ${#copies[@]} copies after three more runs: $(ls -1 "$BK")"
[ "${copies[0]}" != "$copy" ] || fail "KEEP=2 kept the oldest copy"
ok "with KEEP=2, three more runs leave the two newest copies"

# ------------------------------------------------------------------- purge
step "purge"
sum() { sha256sum "$REG" | cut -d' ' -f1; }
before=$(sum)
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q tizilim >"$T/purge.log" 2>&1 || fail "purge: $(cat "$T/purge.log")"
[ ! -e /usr/bin/tizilim ] || fail "purge left /usr/bin/tizilim"
[ ! -e /etc/ssh/sshd_config.d/tizilim.conf ] || fail "purge left the sshd snippet"
if dpkg-statoverride --list /usr/bin/tizilim >/dev/null 2>&1; then fail "purge left the statoverride"; fi
[ -f "$REG" ] || fail "purge removed the register"
[ "$(sum)" = "$before" ] || fail "purge changed the register"
[ "$(stat -c '%U %a' /var/lib/tizilim)" = "tizilim 2700" ] || fail "purge changed the folder"
ok "purge removes the program, the snippet and the override; the register stays, byte for byte"

DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$(realpath "$DEB")" >"$T/apt.log" 2>&1 || fail "reinstall"
kill -HUP "$SSHD_PID" # re-read the snippet, as the postinst's reload would
sleep 1
out=$(as tzclerk2 -T "$(host tzclerk2)" tizilim case show "$CASE" 2>&1) || fail "after reinstall: $out"
out=$(as tzclerk2 -T "$(host tzclerk2)" tizilim audit verify 2>&1) || fail "audit verify after reinstall: $out"
out=$(tizilim audit verify --seal "$T/seal" 2>&1) || fail "audit verify --seal after reinstall: $out"
ok "reinstalled after purge: the clerks find the register as it was ($out)"

echo "# deploy test passed: $CHECKS checks in $(($(date +%s) - START)) s"
