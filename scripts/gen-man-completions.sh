#!/usr/bin/env bash
# The Debian package's manual page and shell completions, made by the built
# binary from the CLI's own definition (`tizilim man`, `tizilim completions
# bash|zsh|fish`) into target/assets/, where Cargo.toml's
# [package.metadata.deb] assets take them from:
#
#   target/assets/tizilim.1     → /usr/share/man/man1/tizilim.1.gz (cargo deb gzips it)
#   target/assets/tizilim.bash  → /usr/share/bash-completion/completions/tizilim
#   target/assets/_tizilim      → /usr/share/zsh/vendor-completions/_tizilim
#   target/assets/tizilim.fish  → /usr/share/fish/vendor_completions.d/tizilim.fish
#
# Run it after the build and before `cargo deb` (scripts/deploy-test.sh does):
#
#   cargo build --release --locked && scripts/gen-man-completions.sh target/release/tizilim
#   cargo deb --locked
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-target/release/tizilim}
if [ ! -x "$BIN" ]; then
	echo "gen-man-completions: no binary at $BIN (build it first: cargo build --release --locked)" >&2
	exit 2
fi
OUT=target/assets
mkdir -p "$OUT"

# Each file is written beside its place and renamed: a failed run never
# leaves a half-written page for cargo deb to package. TIZILIM_LANG is
# dropped (a wrong value would be a usage error; the texts are the same).
gen() {
	local file=$1
	shift
	env -u TIZILIM_LANG "$BIN" "$@" >"$OUT/$file.tmp"
	[ -s "$OUT/$file.tmp" ] || {
		echo "gen-man-completions: \`tizilim $*\` printed nothing" >&2
		exit 1
	}
	mv "$OUT/$file.tmp" "$OUT/$file"
}
gen tizilim.1 man
gen tizilim.bash completions bash
gen _tizilim completions zsh
gen tizilim.fish completions fish

# (after roff's two-line apostrophe preamble, `.ie`/`.el`)
head -n 3 "$OUT/tizilim.1" | grep -q '^\.TH tizilim 1' || {
	echo "gen-man-completions: $OUT/tizilim.1 is not a manual page" >&2
	exit 1
}
echo "gen-man-completions: $OUT/{tizilim.1,tizilim.bash,_tizilim,tizilim.fish} from $BIN"
