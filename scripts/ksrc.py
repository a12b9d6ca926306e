# SPDX-License-Identifier: GPL-2.0
"""Kernel source lookups shared by rows-cite.py and tests/rows-cite.py:
where a function or macro is defined in a file, the lines its body spans,
and a row's citations (src=) and names (func=) per modelled version."""
import difflib
import os
import re

MODELLED = ('6.1', '6.12', '6.18', '7.1')
BASE = '6.12'               # the version of a src= without a group


def kv(s):
    a, b = s.split('.')[:2]
    return int(a) << 16 | int(b) << 8


def holds(row, v):
    m = re.search(r'\bsince=(\S+)', row)
    if m and kv(v) < kv(m.group(1)):
        return False
    m = re.search(r'\buntil=(\S+)', row)
    return not (m and kv(v) >= kv(m.group(1)))


_files = {}


def lines_of(tree, path):
    key = (tree, path)
    if key not in _files:
        try:
            with open('%s/%s' % (tree, path), encoding='utf-8', errors='replace') as f:
                _files[key] = f.read().split('\n')
        except OSError:
            _files[key] = None
    return _files[key]


def _strip(line):
    """A line without its comments and strings, for counting braces."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])*'", "''", line)
    line = re.sub(r'/\*.*?\*/', '', line)
    return line.split('//')[0]


def _body(lines, i):
    """The last line (0-based) of the definition starting at line i, or
    None where it is a prototype."""
    if re.match(r'^\s*#\s*define\b', lines[i]):
        j = i
        while j + 1 < len(lines) and lines[j].rstrip().endswith('\\'):
            j += 1
        return j
    depth, seen, j, incomment = 0, False, i, False
    while j < len(lines):
        l = lines[j]
        if incomment:
            if '*/' not in l:
                j += 1
                continue
            l = l.split('*/', 1)[1]
            incomment = False
        s = _strip(l)
        if '/*' in s:
            s, incomment = s.split('/*', 1)[0], True
        if not seen and ';' in s and '{' not in s:
            return None
        for ch in s:
            if ch == '{':
                depth += 1
                seen = True
            elif ch == '}':
                depth -= 1
        if seen and depth <= 0:
            return j
        j += 1
    return None


def definitions(tree, path, func):
    """[(first, last)] 1-based lines of each definition of func in path
    (a function, a function-like or object-like macro, or a function made
    by a macro such as arm64's PTE_BIT_FUNC(mkdirty, ...))."""
    lines = lines_of(tree, path)
    if lines is None:
        return []
    fn = re.escape(func)
    pats = [re.compile(r'^\s*#\s*define\s+%s\b' % fn),
            re.compile(r'^[A-Za-z_][^;()=]*[\s*]%s\s*\(' % fn),
            re.compile(r'^%s\s*\(' % fn)]
    gen = None
    m = re.match(r'^(pte|pmd|pud|p4d|pgd)_(\w+)$', func)
    if m:
        # static inline pte_t pte_##fn(pte_t pte) { ... } in a macro
        gen = re.compile(r'^\s*(%s_BIT_FUNC|PMD_BIT_FUNC|PUD_BIT_FUNC)\(\s*%s\s*,'
                         % (m.group(1).upper(), re.escape(m.group(2))))
    out = []
    for i, l in enumerate(lines):
        if any(p.match(l) for p in pats):
            j = _body(lines, i)
            if j is not None:
                out.append((i + 1, j + 1))
        elif gen and gen.match(l):
            out.append((i + 1, i + 1))
    return out


def norm(s):
    return ' '.join(s.split())


def find_stmt(tree, path, func, text, near=None):
    """The line (1-based) of the statement text inside func in path: the
    exact line, else the same with whitespace normalised, else the most
    similar line (ratio >= 0.75); among equals the one nearest near.
    Returns (line, how) or (None, why)."""
    lines = lines_of(tree, path)
    defs = definitions(tree, path, func)
    if lines is None:
        return None, 'no %s' % path
    if not defs:
        return None, 'no %s in %s' % (func, path)
    cand = [n for a, b in defs for n in range(a, b + 1)]

    def pick(ns):
        if near is None:
            return ns[0]
        return min(ns, key=lambda n: (abs(n - near), n))
    for how, eq in (('exact', lambda a: lines[a - 1].rstrip() == text.rstrip()),
                    ('normalised', lambda a: norm(lines[a - 1]) == norm(text))):
        ns = [n for n in cand if eq(n)]
        if ns:
            return pick(ns), how
    t = norm(text)
    if len(t) < 4:
        return None, 'statement too short to match: %r' % text
    best, score = [], 0.0
    for n in cand:
        if not alike_calls(t, lines[n - 1]):
            continue
        r = difflib.SequenceMatcher(None, t, norm(lines[n - 1])).ratio()
        if r > score + 1e-9:
            best, score = [n], r
        elif abs(r - score) <= 1e-9:
            best.append(n)
    if best and score >= 0.75:
        return pick(best), 'similar %.2f' % score
    return None, 'no line like %r in %s()' % (t, func)


def inside(tree, path, func, line):
    """The definition of func in path that holds line, or None."""
    for a, b in definitions(tree, path, func):
        if a <= line <= b:
            return a, b
    return None


_SRC = re.compile(r'\bsrc=(\S+)')
_FUNC = re.compile(r'\bfunc=(\S+)')


def split_src(src):
    """{version: (file, line or None)} of a src= value; None when it is
    not a kernel citation."""
    if src == '-' or src.startswith('('):
        return None
    p = src.find('(')
    base = src if p < 0 else src[:p]
    rest = '' if p < 0 else src[p:]
    m = re.match(r'^(.*):(\d+)$', base)
    bfile = m.group(1) if m else base
    out = {BASE: (bfile, int(m.group(2)) if m else None)}
    for g in re.findall(r'\(([^)]*)\)', rest):
        m = re.match(r'^(\d+\.\d+)(?::(.*))?$', g)
        if not m:
            return None
        v, r = m.group(1), m.group(2) or ''
        m2 = re.match(r'^(?:(.*):)?(\d+)$', r)
        if m2:
            out[v] = (m2.group(1) or bfile, int(m2.group(2)))
        else:
            out[v] = (r or bfile, None)
    return out


def join_src(cites):
    """The src= value of {version: (file, line or None)}: 6.12's bare (its
    file alone where it has no line), the others as groups in modelled
    order, "(V)" for a version cited by file alone."""
    bfile, bline = cites[BASE]
    s = bfile + (':%d' % bline if bline else '')
    for v in MODELLED:
        if v == BASE or v not in cites:
            continue
        f, n = cites[v]
        if n:
            s += '(%s:%s%d)' % (v, f + ':' if f != bfile else '', n)
        else:
            s += '(%s%s)' % (v, ':' + f if f != bfile else '')
    return s


def func_at(funcs, v):
    """The function's name at version v from func=NAME(6.1:OLD)(6.18:NEW)...:
    a group of BASE or later names it from that version on, an earlier
    one up to that version (as src/rows.c pt_row_func())."""
    name, old = funcs[0], None
    for fv, fn in funcs[1]:
        if kv(BASE) <= kv(fv) <= kv(v):
            name = fn
        elif kv(v) <= kv(fv) < kv(BASE) and (old is None or kv(fv) < kv(old)):
            name, old = fn, fv
    return name


def split_func(f):
    """(name, [(version, new name)]) of a func= value, or None when it
    names no kernel function (func=(hardware), pte/pmd/pud_modify)."""
    m = re.match(r'^([A-Za-z_]\w*)((?:\(\d+\.\d+:[A-Za-z_]\w*\))*)$', f)
    if not m:
        return None
    return m.group(1), re.findall(r'\((\d+\.\d+):([A-Za-z_]\w*)\)', m.group(2))


def parse_row(row):
    """(src, cites, funcs) of a row that cites kernel source, else None."""
    if row.startswith('#'):
        return None
    ms, mf = _SRC.search(row), _FUNC.search(row)
    if not ms or not mf:
        return None
    cites = split_src(ms.group(1))
    funcs = split_func(mf.group(1))
    if not cites or not funcs:
        return None
    return ms.group(1), cites, funcs


_DEF = re.compile(r'^(?:\s*#\s*define\s+([A-Za-z_]\w*)|(?:[A-Za-z_][^;()=]*[\s*])?([A-Za-z_]\w*)\s*\()')
_NOTFN = {'if', 'for', 'while', 'switch', 'return', 'sizeof', 'else'}


def enclosing(tree, path, line):
    """(name, first, last) of the innermost function or macro whose
    definition holds line, or None."""
    lines = lines_of(tree, path)
    if lines is None or not 1 <= line <= len(lines):
        return None
    for i in range(line - 1, max(-1, line - 1 - 3000), -1):
        l = lines[i]
        if l[:1] in (' ', '\t', '}', '{', '') and not l.lstrip().startswith('#'):
            continue
        m = _DEF.match(l)
        if not m:
            continue
        name = m.group(1) or m.group(2)
        if name in _NOTFN:
            continue
        j = _body(lines, i)
        if j is not None and i + 1 <= line <= j + 1:
            return name, i + 1, j + 1
        if j is not None and not l.lstrip().startswith('#'):
            return None     # a function ended before line: not in one
    return None


def calls(text, func):
    return re.search(r'\b%s\s*\(' % re.escape(func), text) is not None


def is_stmt(text):
    t = text.strip()
    # a comment's inner line starts with '* ', a dereference with a name
    # ('*vm_flags |= VM_HUGEPAGE;')
    return (bool(t) and t not in ('{', '}', '};') and not t.startswith(('/*', '//')) and
            not (t.startswith('*') and not re.match(r'\*+[A-Za-z_(]', t)))


def is_define(text):
    return re.match(r'^\s*#\s*define\b', text) is not None


def cites_func(tree, path, func, line):
    """None when path:line of tree is a citation of func (in its body, its
    definition, a call of it, a statement of a helper named after it, or
    a #define constant where the file does not define func), else why
    not."""
    lines = lines_of(tree, path)
    if lines is None:
        return 'no %s in the tree' % path
    if not 1 <= line <= len(lines):
        return '%s has %d lines' % (path, len(lines))
    text = lines[line - 1]
    if inside(tree, path, func, line) or calls(text, func):
        return None
    sc = enclosing(tree, path, line)
    if sc and func in sc[0] and sc[1] != line:
        return None
    if is_define(text) and not definitions(tree, path, func):
        return None
    where = '%s()' % sc[0] if sc else 'no function'
    return 'line %d (%s: %r) is not in %s()' % (line, where, text.strip()[:60], func)


def _is_def(tree, path, line):
    sc = enclosing(tree, path, line)
    return sc[0] if sc and sc[1] == line else None


def same_stmt(ta, pa, la, fa, tb, pb, lb, fb):
    """Whether line la of pa (fa: the row's function there) is the
    statement at lb of pb (fb), in trees ta and tb: the text normalised,
    or at least 75% alike; both definitions; or, where the function was
    renamed, the new name's definition or call."""
    a, b = lines_of(ta, pa), lines_of(tb, pb)
    if not a or not b or la > len(a) or lb > len(b):
        return False
    da, db = _is_def(ta, pa, la), _is_def(tb, pb, lb)
    if da or db:
        return bool(da and db) or (fa != fb and db == fb)
    if fa != fb and calls(a[la - 1], fa) and calls(b[lb - 1], fb):
        return True
    x, y = norm(a[la - 1]), norm(b[lb - 1])
    return x == y or (alike_calls(x, y) and difflib.SequenceMatcher(None, x, y).ratio() >= 0.75)


_CALL = re.compile(r'\b([A-Za-z_]\w*)\s*\(')


def alike_calls(a, b):
    """Whether two lines call a function in common (or one whose name
    holds the other's), or neither calls any: "pmd = pmd_mkold(pmd);" is
    not "pmd = pmd_swp_mkuffd_wp(pmd);" however alike the letters."""
    x = set(_CALL.findall(a)) - _NOTFN
    y = set(_CALL.findall(b)) - _NOTFN
    # a renamed callee keeps its stem (map_anon_folio_pmd at 6.18,
    # map_anon_folio_pmd_pf at 7.1)
    return any(_stem(f, g) for f in x for g in y) or not (x or y)


def _stem(f, g):
    """The same callee, or one renamed keeping its stem: map_anon_folio_pmd
    and map_anon_folio_pmd_pf, set_pte_at and set_ptes (batched)."""
    if f in g or g in f:
        return True
    n = len(os.path.commonprefix([f, g]))
    return n >= 7 and n >= 0.8 * min(len(f), len(g))
