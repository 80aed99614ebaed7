#!/usr/bin/env bash
# check-i18n-test.sh — proves scripts/check-i18n.py fails on words a page
# shows outside the catalogue (text, a shown attribute, a submit button's
# value) and passes catalogue keys, values, symbols and what it skips.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/templates/console" "$tmp/templates/email"
cat >"$tmp/templates/console/good.mustache" <<'T'
<!DOCTYPE html>
<h1 title="{{l.good_title}}">{{l.good_heading}}</h1>
<p>{{%l.good_count}} · {{count}} — 12:00 &rarr; {{>partials/x}} csdesk</p>
<input type="submit" value="{{l.good_send}}"><input type="hidden" name="status" value="open">
<button name="status" value="closed">{{l.good_close}}</button>
<kbd>j</kbd> <code>csdesk batch</code> <script>var words = "not here";</script>
<!-- a comment: not shown -->
<code>{{=<% %>=}}{{ticket.number}}<%={{ }}=%></code>
T
echo 'Mail is not a page: Dear customer.' >"$tmp/templates/email/mail.mustache"
"$top/scripts/check-i18n.py" "$tmp" >/dev/null
failed=0
for bad in '<p>Save</p>' '<a aria-label="Close">x</a>' '<input type="submit" value="Send">' \
    '<p>{{l.count}} tickets</p>' '<img alt="A {{what}} photo" src="x">' '<td data-label="Status">'; do
	printf '%s\n' "$bad" >"$tmp/templates/console/bad.mustache"
	if "$top/scripts/check-i18n.py" "$tmp" >/dev/null 2>&1; then
		echo "check-i18n-test: not caught: $bad" >&2
		failed=1
	fi
done
rm -f "$tmp/templates/console/bad.mustache"
[ "$failed" = 0 ] && echo "check-i18n-test: 6 kinds of words outside the catalogue caught, the right shapes pass"
exit "$failed"
