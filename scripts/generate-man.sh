#!/usr/bin/env bash
# Writes docs/man/isms.1 from the command definitions with swift-argument-parser's generate-manual plugin (an mdoc
# page: `man -l docs/man/isms.1`). The page ends with a roff comment holding the SHA-256 of `isms
# --experimental-dump-help`, the description the plugin renders: ManPageTests fails while the page is stale.
# Run it after changing a command, an option or a help text. The date is that of the last commit to the commands.
set -euo pipefail
cd "$(dirname "$0")/.."
date=$(git log -1 --format=%cs -- Sources/ISMSCommands 2>/dev/null || true)
[ -n "$date" ] || date=$(date -u +%F)
swift package plugin generate-manual --configuration debug --date "$date" --authors "isms contributors" >/dev/null
digest=$(.build/debug/isms --experimental-dump-help | sha256sum | cut -d' ' -f1)
mkdir -p docs/man
# The plugin's EXIT STATUS is mdoc's `.Ex -std` ("exits 0 on success, and >0 if an error occurs"); isms has three
# statuses that scripts and CI rely on, so the page lists them as docs/cli.md does.
exit_status='.Bl -tag -width Ds\
.It 0\
Success; for check, no finding of severity error.\
.It 1\
check found an error (with --strict, an error or a warning).\
.It 2\
The command could not run: no or an unreadable isms.yaml, an unknown revision, a missing or damaged git object, a limit exceeded, a bad argument; one line on standard error starts with isms: error:.\
.El'
{
    sed -e "s/^\.Ex -std\$/$exit_status/" .build/plugins/GenerateManual/outputs/isms/isms.1 \
        | sed -e '$a\'   # the plugin leaves out the last line break
    printf '.\\" isms-dump-help-sha256: %s\n' "$digest"
} > docs/man/isms.1
echo "wrote docs/man/isms.1"
