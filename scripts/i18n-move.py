#!/usr/bin/env python3
"""i18n-move.py TEMPLATE... — moves the words of console and portal
templates into the message catalogue (templates/locale/en.strings), the
way every page was moved: what scripts/check-i18n.py would list becomes
{{l.key}}, or {{%l.key}} with "{name}" placeholders when a sentence has
{{name}} values inside it. Keys are the page's prefix (the template's
path without console/ or partials/: "ticket_reply", "portal_ticket_new",
"admin_sla_policies") and the first words; new keys are appended under a
comment naming the template. Whitespace around the words stays in the
template, so the page renders the same bytes apart from ' and " (which
are escaped as any value is).

Read the result: a sentence split by a section ({{#one}}s{{/one}}) must
become whole sentences by hand (docs/workspace.md, "Interface strings");
the tool says where. Templates with set delimiters are left alone.
"""
import html
import os
import re
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tdir = os.path.join(top, "templates")
catalogue = os.path.join(tdir, "locale", "en.strings")

# As scripts/check-i18n.py: what a person reads, and what is not words.
ATTRS = {"aria-label", "title", "placeholder", "alt", "label", "data-label"}
OPAQUE = {"script", "style", "textarea", "kbd", "code", "pre"}

MUSTACHE = re.compile(r"\{\{\{.*?\}\}\}|\{\{.*?\}\}", re.S)
ATTR = re.compile(r"(\s)([a-zA-Z-]+)=\"([^\"]*)\"")


def load():
    keys = {}
    with open(catalogue, encoding="utf-8") as fh:
        for line in fh:
            if " = " in line and not line.startswith("#"):
                k, v = line.rstrip("\n").split(" = ", 1)
                keys[k] = v
    return keys


keys = load()
added = {}      # template -> [(key, text)]
notes = []


def prefix(rel):
    p = rel[:-len(".mustache")]
    for lead in ("console/", "partials/"):
        if p.startswith(lead):
            p = p[len(lead):]
    return "error" if p == "errors/error" else p.replace("/", "_").replace("-", "_")


def key_for(rel, text):
    """The key of text in rel's group: an existing one with that text, or a new one."""
    pre = prefix(rel)
    for k, v in keys.items():
        if v == text and k.startswith(pre + "_"):
            return k
    names = [n.split(".")[-1] for n in re.findall(r"\{([A-Za-z0-9_.]+)\}", text)]
    words = re.findall(r"[a-z0-9]+", re.sub(r"\{[A-Za-z0-9_.]+\}", " ", text).lower())[:5]
    base = pre + "_" + ("_".join(words)[:32].rstrip("_") or "text")
    k = base
    if k in keys and names:
        k = base + "_" + "_".join(names)
    n = 2
    while k in keys:
        k = "%s_%d" % (base, n)
        n += 1
    keys[k] = text
    added.setdefault(rel, []).append((k, text))
    return k


def is_var(tag):
    inner = tag[2:-2].strip()
    return not tag.startswith("{{{") and inner != "" and inner[0] not in "&#^/!>=<$%"


def move(rel, run):
    """A run of text and {{value}} tags: its words as one key, whitespace kept outside."""
    if not re.search(r"[A-Za-z]", MUSTACHE.sub("", run)):
        return run
    body = run.strip(" \t\r\n")
    lead = run[:len(run) - len(run.lstrip(" \t\r\n"))]
    trail = run[len(lead) + len(body):]
    text, values = "", 0
    pos = 0
    for m in MUSTACHE.finditer(body):
        text += html.unescape(body[pos:m.start()])
        text += "{" + m.group(0)[2:-2].strip() + "}"
        values += 1
        pos = m.end()
    text = re.sub(r"\s+", " ", text + html.unescape(body[pos:]))
    if re.fullmatch(r"[A-Za-z]", text):
        notes.append("%s: %r is a piece of a word: make whole sentences" % (rel, text))
    return "%s{{%sl.%s}}%s" % (lead, "%" if values else "", key_for(rel, text), trail)


def move_attr(rel, value):
    """An attribute's value, cut at sections; each piece moved."""
    out, pos = "", 0
    for m in MUSTACHE.finditer(value):
        if not is_var(m.group(0)):
            out += move(rel, value[pos:m.start()]) + m.group(0)
            pos = m.end()
    return out + move(rel, value[pos:])


def move_tag(rel, tag):
    m = re.match(r"<([a-zA-Z0-9]+)", tag)
    name = m.group(1).lower() if m else ""
    button = name == "input" and re.search(r"type=\"(submit|button|reset)\"", tag)

    def one(a):
        attr = a.group(2).lower()
        if attr in ATTRS or (button and attr == "value"):
            return "%s%s=\"%s\"" % (a.group(1), a.group(2), move_attr(rel, a.group(3)))
        return a.group(0)
    return ATTR.sub(one, tag)


def tokens(src):
    """('m', mustache tag), ('h', HTML tag or comment) and ('t', text), in order."""
    i, n, text = 0, len(src), ""
    while i < n:
        if src.startswith("{{", i):
            end = src.index("}}}" if src.startswith("{{{", i) else "}}", i) + \
                (3 if src.startswith("{{{", i) else 2)
        elif src.startswith("<!--", i):
            end = src.index("-->", i) + 3
        elif src[i] == "<" and i + 1 < n and (src[i + 1].isalpha() or src[i + 1] in "/!"):
            end, quote = i + 1, None
            while end < n and (quote or src[end] != ">"):
                if src.startswith("{{", end):
                    end = src.index("}}", end) + 1
                elif quote and src[end] == quote:
                    quote = None
                elif not quote and src[end] in "\"'":
                    quote = src[end]
                end += 1
            end += 1
        else:
            text += src[i]
            i += 1
            continue
        if text:
            yield "t", text
            text = ""
        yield ("m" if src.startswith("{{", i) else "h"), src[i:end]
        i = end
    if text:
        yield "t", text


def convert(rel, src):
    out, run, opaque = [], "", []

    def flush():
        nonlocal run
        out.append(run if opaque else move(rel, run))
        run = ""

    for kind, s in tokens(src):
        if kind == "t" or (kind == "m" and is_var(s)):
            run += s
            continue
        flush()
        if kind == "h":
            m = re.match(r"<(/?)([a-zA-Z0-9]+)", s)
            name = m.group(2).lower() if m else ""
            if m and m.group(1):
                if opaque and opaque[-1] == name:
                    opaque.pop()
            elif name in OPAQUE:
                opaque.append(name)
            if not opaque or (m and not m.group(1) and opaque[-1] == name and len(opaque) == 1):
                s = move_tag(rel, s)
        out.append(s)
    flush()
    return "".join(out)


for path in sys.argv[1:]:
    rel = os.path.relpath(os.path.abspath(path), tdir)
    with open(path, encoding="utf-8") as fh:
        src = fh.read()
    if "{{=" in src:
        notes.append("%s: set delimiters: left alone (check-i18n.py lists any words)" % rel)
        continue
    new = convert(rel, src)
    if new != src:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new)
with open(catalogue, "a", encoding="utf-8") as fh:
    for rel, pairs in added.items():
        fh.write("\n# %s\n" % rel)
        for k, t in pairs:
            fh.write("%s = %s\n" % (k, t))
for n in notes:
    print("i18n-move: " + n, file=sys.stderr)
print("i18n-move: %d keys added" % sum(len(p) for p in added.values()))
