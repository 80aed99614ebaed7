#!/usr/bin/env python3
"""check-i18n.py [ROOT] — finds words in the console and portal templates
that are not read from the message catalogue (templates/locale/en.strings,
docs/workspace.md "Interface strings").

A page's words are {{l.key}} (or {{%l.key}} when a value sits inside the
sentence), so that a language is one catalogue. This looks at what a
person reads: text between tags, and the attributes a browser shows or
reads out (aria-label, title, placeholder, alt, label, data-label — the
narrow tables' column names — and the value of a submit, button or reset
input). Whatever is left once the mustache tags are taken out must hold
no letter, except what the allow-list below names. Exit status 1 lists
each file:line and the text.

Mail templates (templates/email) are not pages and are not checked.
"""
import html
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else \
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tdir = os.path.join(top, "templates")
checked = ["console", "portal", "partials", "errors", "layout.mustache"]

ATTRS = {"aria-label", "title", "placeholder", "alt", "label", "data-label"}

# Elements whose content is not words to translate: program text (script,
# style), what the person typed (textarea), key caps (kbd: "j" is "j" on
# every keyboard) and literal commands, headers and file names (code).
OPAQUE = {"script", "style", "textarea", "kbd", "code"}

# Text that has letters but is not a word of a language: the product's
# name, should a page write it out (today every page says {{site.name}},
# the operator's name for the desk). Keep this list short; anything a
# translator would touch belongs in the catalogue. Symbols and numbers
# need no entry: text without a letter is never words.
ALLOWED = {"csdesk"}

# A set-delimiter stretch ({{=<% %>=}} ... <%={{ }}=%>) shows mustache
# placeholders literally, inside <code>: one opaque tag here.
SET_DELIMS = re.compile(r"\{\{=(\S+) (\S+)=\}\}.*?\1=\{\{ \}\}=\2", re.S)
MUSTACHE = re.compile(r"\{\{\{.*?\}\}\}|\{\{.*?\}\}", re.S)
TAG = re.compile(r"<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S)
ATTR = re.compile(r"([a-zA-Z-]+)=\"([^\"]*)\"")


def words(text):
    """text without mustache tags, entities decoded; '' when it has no word."""
    left = html.unescape(MUSTACHE.sub(" ", text)).strip()
    if not re.search(r"[A-Za-z]", left):
        return ""
    if all(w.lower() in ALLOWED for w in re.findall(r"[A-Za-z]+", left)):
        return ""
    return re.sub(r"\s+", " ", left)


def check(path, rel):
    with open(path, encoding="utf-8") as fh:
        src = fh.read()
    # Mustache tags may hold '>' (partials) and '<' (parents): blank them
    # out, keeping offsets, before the HTML is read.
    masked = SET_DELIMS.sub(lambda m: "\0" * len(m.group(0)), src)
    masked = MUSTACHE.sub(lambda m: m.group(0)[:2] + "\1" * (len(m.group(0)) - 4) + "}}",
        masked)
    found = []
    opaque = []
    pos = 0

    def report(start, what):
        found.append("%s:%d: %s" % (rel, src.count("\n", 0, start) + 1, what))

    def text(start, end):
        if not opaque:
            w = words(src[start:end].replace("\0", " "))
            if w:
                report(start, w)

    for m in TAG.finditer(masked):
        text(pos, m.start())
        pos = m.end()
        if m.group(2) is None:
            continue
        name = m.group(2).lower()
        if m.group(1):
            if opaque and opaque[-1] == name:
                opaque.pop()
            continue
        if name in OPAQUE:
            opaque.append(name)
        attrs = src[m.start(3):m.end(3)]
        button = name == "input" and re.search(r"type=\"(submit|button|reset)\"", attrs)
        for a in ATTR.finditer(attrs):
            if a.group(1).lower() in ATTRS or (button and a.group(1).lower() == "value"):
                w = words(a.group(2))
                if w:
                    report(m.start(3) + a.start(), "%s=\"%s\"" % (a.group(1), w))
    text(pos, len(src))
    return found


def templates():
    for c in checked:
        p = os.path.join(tdir, c)
        if os.path.isfile(p):
            yield p
        for root, _, files in os.walk(p):
            for f in sorted(files):
                if f.endswith(".mustache"):
                    yield os.path.join(root, f)


problems = []
n = 0
for path in templates():
    n += 1
    problems += check(path, os.path.relpath(path, top))
for p in problems:
    print("check-i18n: words outside the catalogue: " + p, file=sys.stderr)
if problems:
    sys.exit(1)
print("check-i18n: %d templates read their words from the catalogue" % n)
