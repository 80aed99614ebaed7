#!/usr/bin/env python3
"""check-results.py [ROOT] — finds calls that test an enum cs_result as if it were
the old 0/-1 int: `f(...) < 0`, `f(...) >= 0`, `f(...) == -1`, `f(...) != -1`.

The compiler cannot catch these (an enum compared with 0 is a valid
comparison that is simply always false or always true), so after a
function moves from int to enum cs_result, every caller the move missed
would silently stop seeing failures. Exit status 1 lists them.
"""
import os
import re
import sys

# The tree to check: the argument, or the checkout this script is in.
top = sys.argv[1] if len(sys.argv) > 1 else \
    os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dirs = ["src", "cgi-bin", "tests"]

decl = re.compile(r"enum\s+cs_result\s*\n?\s*\**\s*([a-z_][a-z0-9_]*)\s*\(", re.M)
bad_after = re.compile(r"\s*(<\s*0\b|>=\s*0\b|[=!]=\s*-\s*1\b|<=\s*-\s*1\b)")


def sources():
    for d in dirs:
        for root, _, files in os.walk(os.path.join(top, d)):
            for f in files:
                if f.endswith((".c", ".h")):
                    yield os.path.join(root, f)


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


names = set()
texts = {}
for path in sources():
    with open(path, encoding="utf-8", errors="replace") as fh:
        texts[path] = strip_comments(fh.read())
    names.update(decl.findall(texts[path]))

call = re.compile(r"\b(" + "|".join(sorted(names)) + r")\s*\(") if names else None
problems = []
for path, text in texts.items():
    if call is None:
        break
    for m in call.finditer(text):
        # Skip the declaration or definition itself.
        line_start = text.rfind("\n", 0, m.start()) + 1
        if re.match(r"\s*(enum\s+cs_result\s*)?\*?\s*$", text[line_start:m.start()]) and \
                text[max(0, line_start - 30):line_start].rstrip().endswith("cs_result"):
            continue
        depth, i = 0, m.end() - 1
        while i < len(text):
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        if bad_after.match(text, i + 1):
            line = text.count("\n", 0, m.start()) + 1
            problems.append("%s:%d: %s() returns enum cs_result but is tested as 0/-1"
                            % (os.path.relpath(path, top), line, m.group(1)))

for p in problems:
    print(p, file=sys.stderr)
if problems:
    print("results: %d call(s) test an enum cs_result as an int" % len(problems), file=sys.stderr)
    sys.exit(1)
print("results: %d functions return enum cs_result; no caller tests one as 0/-1" % len(names))
