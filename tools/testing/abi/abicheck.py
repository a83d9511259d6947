#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""
Compile-time ABI comparison of our KVM uapi headers against a reference
copy (by default the distribution's /usr/include/linux/kvm.h and
<asm/kvm.h>).

This script only *enumerates* names.  Every number, size, offset,
alignment and member type is decided by the C compiler:

  1. The preprocessor lists the macros each header set defines
     (gcc -dM) and produces the text that a small declaration parser
     walks to list struct/union tags, member paths, enum tags and
     enumerators.  Comparing the two name sets yields the names the
     reference has and we lack (a failure unless allow-listed) and the
     names we define that the reference does not (always a failure).

  2. A C file built against the REFERENCE headers evaluates every
     common item (sizeof, _Alignof, offsetof, member size, macro value,
     type width and signedness, enumerator value) and hands the result
     out through inline-asm operands in the generated assembly.

  3. A C file built against OUR headers holds one _Static_assert per
     item comparing it with that value, plus a
     __builtin_types_compatible_p() assertion per member against the
     type the reference declares.  Any failing assertion is a mismatch.

  4. Bit-fields, which offsetof/sizeof cannot reach, are compared by
     having both compilations emit an initialised object with one
     bit-field set to all ones and comparing the object bytes.

Exit status is 0 only when nothing is missing, nothing is extra and
every check holds.
"""

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def run(cmd, check=True, **kw):
    """Run cmd, return CompletedProcess with text output."""
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, **kw)
    if check and res.returncode != 0:
        sys.stderr.write("abi: command failed: %s\n%s%s" %
                         (" ".join(cmd), res.stdout, res.stderr))
        sys.exit(2)
    return res


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# Headers whose contents make up the ABI under test.  Their own
# dependencies (<linux/types.h>, <linux/ioctl.h>, ...) are shared by both
# sides and are not part of the comparison.
ABI_FILES = ("linux/kvm.h", "asm/kvm.h")
BASE_INCLUDES = ("linux/types.h", "linux/ioctl.h", "linux/const.h",
                 "linux/stddef.h")


def is_abi_file(path):
    return any(path.endswith("/" + f) for f in ABI_FILES)


# ---------------------------------------------------------------------------
# Macros: ask the preprocessor
# ---------------------------------------------------------------------------

DEFINE_RE = re.compile(r"#define\s+([A-Za-z_]\w*)(\([^)]*\))?\s?(.*)$")


def macro_table(cc, incflags, workdir, stem, includes):
    src = os.path.join(workdir, stem + ".c")
    write(src, "".join("#include <%s>\n" % h for h in includes))
    out = run([cc, "-E", "-dM"] + incflags + [src]).stdout
    table = {}
    for line in out.splitlines():
        m = DEFINE_RE.match(line)
        if m:
            table[m.group(1)] = (m.group(2), m.group(3).strip())
    return table


def abi_macros(cc, incflags, workdir, tag):
    everything = macro_table(cc, incflags, workdir, tag + "_all",
                             BASE_INCLUDES + ABI_FILES)
    base = macro_table(cc, incflags, workdir, tag + "_base", BASE_INCLUDES)
    return {k: v for k, v in everything.items() if k not in base}


# ---------------------------------------------------------------------------
# Declarations: a parser for the subset of C found in uapi headers
# ---------------------------------------------------------------------------

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<num>0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*)
  | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<op><<|>>|<=|>=|==|!=|&&|\|\||->|\.\.\.|[{}()\[\];,:*=+\-/~|&^<>!?.%])
""", re.X)


def tokenize(text):
    toks = []
    pos = 0
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise SyntaxError("cannot tokenize near %r" % text[pos:pos + 40])
        pos = m.end()
        if m.lastgroup != "ws":
            toks.append(m.group(0))
    return toks


def abi_text(cc, incflags, workdir, tag):
    """Preprocessed text of the ABI headers only (dependencies dropped)."""
    src = os.path.join(workdir, tag + "_decl.c")
    write(src, "".join("#include <%s>\n" % h for h in ABI_FILES))
    out = run([cc, "-E"] + incflags + [src]).stdout
    keep = []
    cur = ""
    files = set()
    for line in out.splitlines():
        m = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if m:
            cur = m.group(1)
            if is_abi_file(cur):
                files.add(cur)
            continue
        if is_abi_file(cur):
            keep.append(line)
    return "\n".join(keep), sorted(files)


class Field:
    """One declarator inside a struct/union body."""

    def __init__(self, name, base, agg, ptr, dims, bits):
        self.name = name        # None for an anonymous struct/union
        self.base = base        # type specifier text, or None if agg
        self.agg = agg          # (kind, tag, [Field]) for inline bodies
        self.ptr = ptr          # number of '*'
        self.dims = dims        # list of dimension texts ('' = flexible)
        self.bits = bits        # bit-field width text or None


class Parser:
    def __init__(self, toks):
        self.t = toks
        self.i = 0
        self.records = {}       # tag -> (kind, [Field])
        self.enums = {}         # enum tag -> [enumerator names]
        self.enumerators = []   # all enumerator names, in order

    def peek(self, k=0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else None

    def next(self):
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, tok):
        got = self.next()
        if got != tok:
            raise SyntaxError("expected %r, got %r at token %d" %
                              (tok, got, self.i))

    @staticmethod
    def is_ident(tok):
        return tok is not None and re.match(r"[A-Za-z_]\w*$", tok)

    def until(self, stops):
        """Tokens up to (not including) one of stops at nesting depth 0."""
        depth = 0
        out = []
        while True:
            tok = self.peek()
            if tok is None:
                raise SyntaxError("unexpected end of input")
            if depth == 0 and tok in stops:
                return out
            if tok in "([{":
                depth += 1
            elif tok in ")]}":
                depth -= 1
            out.append(self.next())

    def parse(self):
        while self.peek() is not None:
            tok = self.peek()
            if tok in ("struct", "union"):
                kind = self.next()
                tag = self.next() if self.is_ident(self.peek()) else None
                if self.peek() == "{":
                    body = self.body()
                    if tag:
                        self.records[tag] = (kind, body)
                self.until((";",))
                self.expect(";")
            elif tok == "enum":
                self.next()
                tag = self.next() if self.is_ident(self.peek()) else None
                if self.peek() == "{":
                    self.enum_body(tag)
                self.until((";",))
                self.expect(";")
            else:
                self.until((";",))
                self.expect(";")

    def enum_body(self, tag):
        self.expect("{")
        names = []
        while self.peek() != "}":
            name = self.next()
            if self.peek() == "=":
                self.next()
                self.until((",", "}"))
            if self.peek() == ",":
                self.next()
            names.append(name)
        self.expect("}")
        self.enumerators.extend(names)
        if tag:
            self.enums[tag] = names

    def body(self):
        self.expect("{")
        fields = []
        while self.peek() != "}":
            fields.extend(self.member())
        self.expect("}")
        return fields

    def declarator(self, toks):
        ptr = 0
        while toks and toks[0] == "*":
            ptr += 1
            toks = toks[1:]
        if not toks or not self.is_ident(toks[0]):
            raise SyntaxError("bad declarator %r" % toks)
        name = toks[0]
        toks = toks[1:]
        dims = []
        bits = None
        while toks:
            if toks[0] == "[":
                close = toks.index("]")
                dims.append(" ".join(toks[1:close]))
                toks = toks[close + 1:]
            elif toks[0] == ":":
                bits = " ".join(toks[1:])
                toks = []
            else:
                raise SyntaxError("unexpected %r in declarator" % toks)
        return name, ptr, dims, bits

    @staticmethod
    def split_commas(toks):
        parts, cur, depth = [], [], 0
        for tok in toks:
            if tok in "([{":
                depth += 1
            elif tok in ")]}":
                depth -= 1
            if tok == "," and depth == 0:
                parts.append(cur)
                cur = []
            else:
                cur.append(tok)
        parts.append(cur)
        return parts

    def member(self):
        if self.peek() in ("struct", "union", "enum"):
            kind = self.next()
            tag = self.next() if self.is_ident(self.peek()) else None
            agg = None
            base = None
            if self.peek() == "{":
                if kind == "enum":
                    self.enum_body(tag)
                    base = "enum %s" % tag if tag else "int"
                else:
                    children = self.body()
                    if tag:
                        self.records[tag] = (kind, children)
                        base = "%s %s" % (kind, tag)
                    else:
                        agg = (kind, tag, children)
            else:
                base = "%s %s" % (kind, tag)
            decl = self.until((";",))
            self.expect(";")
            if not decl:
                if agg is None:
                    raise SyntaxError("declaration without declarator")
                return [Field(None, None, agg, 0, [], None)]
            out = []
            for part in self.split_commas(decl):
                name, ptr, dims, bits = self.declarator(part)
                out.append(Field(name, base, agg, ptr, dims, bits))
            return out
        toks = self.until((";",))
        self.expect(";")
        parts = self.split_commas(toks)
        first = parts[0]
        # The declarator starts at the first '*', or else at the last
        # identifier before any '[' or ':'.
        if "*" in first:
            cut = first.index("*")
        else:
            stop = len(first)
            for k, tok in enumerate(first):
                if tok in ("[", ":"):
                    stop = k
                    break
            cut = stop - 1
        base = " ".join(first[:cut])
        out = []
        for part in [first[cut:]] + parts[1:]:
            name, ptr, dims, bits = self.declarator(part)
            out.append(Field(name, base, None, ptr, dims, bits))
        return out


def type_text(base, ptr, dims):
    text = base
    if ptr:
        text += " " + "*" * ptr
    for d in dims:
        text += "[%s]" % d
    return text


def flatten(fields, prefix, out):
    """Turn nested fields into member records keyed by access path."""
    for f in fields:
        if f.agg is not None and f.name is None:
            # C11 anonymous struct/union: its members belong to the parent.
            flatten(f.agg[2], prefix, out)
            continue
        # __DECLARE_FLEX_ARRAY() wraps a flexible array in an anonymous
        # struct beginning with an empty struct "__empty_<name>".  It is a
        # spelling device, not a member anyone uses; the array itself is
        # still compared.
        if f.name.startswith("__empty_") and f.agg is not None \
                and not f.agg[2]:
            continue
        path = prefix + f.name
        flex = any(d == "" for d in f.dims)
        if f.agg is not None:
            out.append({"path": path, "type": None, "bits": None,
                        "flex": flex,
                        "agg": "%s %s" % (f.agg[0], "".join(
                            "[%s]" % d for d in f.dims))})
            sub = path + "".join("[0]" for _ in f.dims) + "."
            flatten(f.agg[2], sub, out)
        else:
            out.append({"path": path,
                        "type": type_text(f.base, f.ptr, f.dims),
                        "bits": f.bits, "flex": flex, "agg": None})


def declarations(cc, incflags, workdir, tag):
    text, files = abi_text(cc, incflags, workdir, tag)
    p = Parser(tokenize(text))
    p.parse()
    records = {}
    for rtag, (kind, fields) in p.records.items():
        members = []
        flatten(fields, "", members)
        records[rtag] = {"kind": kind, "members": members}
    return {"records": records, "enums": p.enums,
            "enumerators": p.enumerators, "files": files}


# ---------------------------------------------------------------------------
# Allow-list of names deliberately left out of our headers
# ---------------------------------------------------------------------------


def load_allowlist(path):
    pats = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                pats.append(line)
    return pats


def allowed(name, pats, used):
    for pat in pats:
        if fnmatch.fnmatchcase(name, pat):
            used.add(pat)
            return True
    return False


# ---------------------------------------------------------------------------
# Check generation
# ---------------------------------------------------------------------------

PROLOGUE = """\
/* Generated by tools/testing/abi/abicheck.py -- do not edit. */
/* Lets KVM_COALESCED_MMIO_MAX be evaluated outside the kernel. */
#define PAGE_SIZE 4096UL
#include <stddef.h>
#include <linux/kvm.h>
#include <asm/kvm.h>
"""


def cquote(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


class Checks:
    """The list of numeric items both compilations evaluate."""

    def __init__(self):
        self.items = []     # dicts: id, what, expr
        self.types = []     # dicts: id, what, expr (boolean)
        self.bitfields = []  # dicts: id, what, rec, path, init
        self.textual = []   # (what, ok) decided by comparing text

    def num(self, what, expr, macro=None):
        self.items.append({"id": len(self.items), "what": what,
                           "expr": expr, "macro": macro})

    def typ(self, what, expr):
        self.types.append({"id": len(self.types), "what": what,
                           "expr": expr})


def build_checks(ref_decl, our_decl, ref_mac, our_mac, omitted_macros):
    ck = Checks()

    # --- macros -----------------------------------------------------------
    for name in sorted(set(ref_mac) & set(our_mac)):
        if name in omitted_macros:
            continue
        rparams, rbody = ref_mac[name]
        oparams, obody = our_mac[name]
        if rparams is not None or oparams is not None:
            # Function-like: same parameter list, and the same
            # expansion token for token.
            ok = rparams == oparams and \
                tokenize(rbody) == tokenize(obody)
            ck.textual.append(("macro %s%s expansion" % (name, rparams or ""),
                               ok))
            continue
        if rbody == "" or obody == "":
            # Feature/guard macros: being defined is the whole ABI.
            ck.textual.append(("macro %s is empty" % name,
                               rbody == obody))
            continue
        ck.num("macro %s value" % name, "(long long)(%s)" % name, name)
        ck.num("macro %s type size" % name, "sizeof(%s)" % name, name)
        ck.num("macro %s signedness" % name,
               "((__typeof__(%s))-1 < (__typeof__(%s))0)" % (name, name),
               name)

    # --- records ----------------------------------------------------------
    rrec, orec = ref_decl["records"], our_decl["records"]
    for tag in sorted(set(rrec) & set(orec)):
        kind = rrec[tag]["kind"]
        ctype = "%s %s" % (kind, tag)
        if orec[tag]["kind"] != kind:
            ck.textual.append(("%s is a %s" % (tag, kind), False))
            continue
        ck.num("sizeof(%s)" % ctype, "sizeof(%s)" % ctype)
        ck.num("_Alignof(%s)" % ctype, "_Alignof(%s)" % ctype)
        ours = {m["path"]: m for m in orec[tag]["members"]}
        for m in rrec[tag]["members"]:
            o = ours.get(m["path"])
            if o is None:
                continue        # reported as missing elsewhere
            where = "%s.%s" % (tag, m["path"])
            access = "((%s *)0)->%s" % (ctype, m["path"])
            if m["bits"] is not None or o["bits"] is not None:
                ck.textual.append(("%s bit-field declaration" % where,
                                   (m["type"], m["bits"]) ==
                                   (o["type"], o["bits"])))
                if m["bits"] is not None:
                    signed = not re.search(r"\b(unsigned|__u\d+)\b",
                                           m["type"])
                    init = "-1" if signed else \
                        "(1ULL << (%s)) - 1" % m["bits"]
                    ck.bitfields.append({
                        "id": len(ck.bitfields), "what": where,
                        "ctype": ctype, "path": m["path"], "init": init})
                continue
            ck.num("offsetof(%s)" % where,
                   "__builtin_offsetof(%s, %s)" % (ctype, m["path"]))
            if not m["flex"]:
                ck.num("sizeof(%s)" % where, "sizeof(%s)" % access)
            if m["type"] is not None:
                ck.typ("type of %s is %s" % (where, m["type"]),
                       "__builtin_types_compatible_p(__typeof__(%s), %s)"
                       % (access, m["type"]))
            elif (o["agg"] or "").split(" ")[0] != m["agg"].split(" ")[0]:
                ck.textual.append(("%s is an inline %s" %
                                   (where, m["agg"]), False))

    # --- enums ------------------------------------------------------------
    for tag in sorted(set(ref_decl["enums"]) & set(our_decl["enums"])):
        ck.num("sizeof(enum %s)" % tag, "sizeof(enum %s)" % tag)
    ours = set(our_decl["enumerators"])
    for name in ref_decl["enumerators"]:
        if name in ours:
            ck.num("enumerator %s" % name, "(long long)(%s)" % name)
    return ck


def bitfield_objects(ck):
    lines = []
    for b in ck.bitfields:
        lines.append(
            "static const %s abi_bf_%d __attribute__((used, "
            "section(\".abi_bits.%d\"))) = { .%s = %s };"
            % (b["ctype"], b["id"], b["id"], b["path"], b["init"]))
    return "\n".join(lines) + "\n"


def reference_source(ck):
    """Evaluates every item against the reference headers."""
    out = [PROLOGUE, bitfield_objects(ck)]
    lines = {}
    nl = "".join(out).count("\n")
    body = []
    # Sanity: the reference must satisfy its own declared member types,
    # otherwise the parser misread something.
    for t in ck.types:
        body.append('_Static_assert(%s, "abi-ref:%d");\n' % (t["expr"],
                                                           t["id"]))
    body.append("void abi_emit(void);\nvoid abi_emit(void)\n{\n")
    for it in ck.items:
        lines[nl + "".join(body).count("\n") + 1] = it
        # Two 32-bit halves: x86-64 immediates are limited to 32 bits.
        body.append('\t__asm__ volatile("#@ABI@ %%c0 %%c1 %%c2" :: '
                    '"i" (%d), "i" ((unsigned int)((unsigned long long)'
                    '(%s) >> 32)), "i" ((unsigned int)(%s)));\n'
                    % (it["id"], it["expr"], it["expr"]))
    body.append("}\n")
    return "".join(out + body), lines


def diagnostics(stderr, fname, lines):
    """
    Attribute compiler errors to generated lines.  An error raised inside
    a macro expansion is reported at the header line, followed by notes
    naming the line of the generated file; all of them belong together.
    Returns ({line: first message}, [unattributed error lines]).
    """
    blocks = []
    for line in stderr.splitlines():
        if ": error: " in line or ": warning: " in line:
            blocks.append([line])
        elif blocks and (": note: " in line or line.startswith(" ")):
            blocks[-1].append(line)
    hit = {}
    stray = []
    pat = re.compile(re.escape(fname) + r":(\d+):")
    for blk in blocks:
        if ": error: " not in blk[0]:
            continue
        nums = [int(m.group(1)) for l in blk for m in pat.finditer(l)
                if int(m.group(1)) in lines]
        if not nums:
            stray.extend(blk)
        for n in nums:
            hit.setdefault(n, blk[0].split(": error: ", 1)[1])
    return hit, stray


def ours_source(ck, values):
    """Asserts every item against the reference's values."""
    out = [PROLOGUE, bitfield_objects(ck)]
    lines = {}
    base = "".join(out).count("\n") + 1
    body = []
    for it in ck.items:
        want = values[it["id"]] & 0xFFFFFFFFFFFFFFFF
        lines[base + len(body)] = it["what"]
        body.append('_Static_assert((unsigned long long)(%s) == %#xULL, '
                    '"abi: %s");\n' % (it["expr"], want,
                                       cquote(it["what"])))
    for t in ck.types:
        lines[base + len(body)] = t["what"]
        body.append('_Static_assert(%s, "abi: %s");\n'
                    % (t["expr"], cquote(t["what"])))
    return "".join(out + body), lines


def section_bytes(objcopy, obj, nbits, workdir, tag):
    args = [objcopy]
    paths = []
    for i in range(nbits):
        p = os.path.join(workdir, "%s_bits_%d.bin" % (tag, i))
        paths.append(p)
        args += ["--dump-section", ".abi_bits.%d=%s" % (i, p)]
    args += [obj, os.path.join(workdir, "%s_scratch.o" % tag)]
    if nbits:
        run(args)
    data = []
    for p in paths:
        with open(p, "rb") as f:
            data.append(f.read())
    return data


# ---------------------------------------------------------------------------
# Standalone compile checks of our headers
# ---------------------------------------------------------------------------


def standalone(cc, cxx, incflags, workdir):
    """Each header alone must build warning-free as C (and C++)."""
    results = []
    for hdr in ABI_FILES:
        src = os.path.join(workdir, "alone_%s.c" % hdr.replace("/", "_"))
        write(src, "#include <%s>\n" % hdr)
        res = run([cc, "-std=gnu11", "-Wall", "-Wextra", "-Werror",
                   "-fsyntax-only"] + incflags + [src], check=False)
        results.append(("%s builds alone (C, -Wall -Wextra)" % hdr,
                        res.returncode == 0, res.stderr))
        if cxx:
            res = run([cxx, "-x", "c++", "-Wall", "-Wextra", "-Werror",
                       "-fsyntax-only"] + incflags + [src], check=False)
            results.append(("%s builds alone (C++)" % hdr,
                            res.returncode == 0, res.stderr))
    return results


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="scratch directory")
    ap.add_argument("--ours", action="append", default=[],
                    help="include directory holding our headers (repeat)")
    ap.add_argument("--ref", action="append", default=[],
                    help="include directory for the reference headers "
                         "(repeat; default: the compiler's own path)")
    ap.add_argument("--allowlist", required=True)
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--cxx", default="")
    ap.add_argument("--objcopy", default="objcopy")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    our_inc = ["-I" + d for d in args.ours]
    ref_inc = ["-I" + d for d in args.ref]
    cc = args.cc

    ref_mac = abi_macros(cc, ref_inc, args.out, "ref")
    our_mac = abi_macros(cc, our_inc, args.out, "ours")
    try:
        ref_decl = declarations(cc, ref_inc, args.out, "ref")
    except SyntaxError as e:
        sys.stderr.write("abi: cannot parse the reference headers: %s\n"
                         % e)
        return 2
    try:
        our_decl = declarations(cc, our_inc, args.out, "ours")
    except SyntaxError as e:
        print("abi: our headers do not parse: %s" % e)
        print("abi: 0 checks, 1 mismatches")
        return 1

    # Make sure the two sides really read different files.
    if set(ref_decl["files"]) & set(our_decl["files"]):
        sys.stderr.write("abi: reference and our headers are the same "
                         "files: %s\n" % ref_decl["files"])
        return 2

    pats = load_allowlist(args.allowlist)
    used = set()
    problems = []       # fatal findings, printed at the end
    omitted = []

    # --- names present on one side only ----------------------------------
    names_ref, names_ours = [], []

    def compare_names(label, ref_names, our_names):
        names_ref.extend(ref_names)
        names_ours.extend(our_names)
        for n in sorted(set(ref_names) - set(our_names)):
            if allowed(n, pats, used):
                omitted.append("%s %s" % (label, n))
            else:
                problems.append("missing %s %s" % (label, n))
        for n in sorted(set(our_names) - set(ref_names)):
            problems.append("extra %s %s (not in reference)" % (label, n))

    compare_names("macro", ref_mac, our_mac)
    compare_names("record", ref_decl["records"], our_decl["records"])
    compare_names("enum", ref_decl["enums"], our_decl["enums"])
    compare_names("enumerator", ref_decl["enumerators"],
                  our_decl["enumerators"])
    rrec, orec = ref_decl["records"], our_decl["records"]
    for tag in sorted(set(rrec) & set(orec)):
        compare_names("member",
                      ["%s.%s" % (tag, m["path"])
                       for m in rrec[tag]["members"]],
                      ["%s.%s" % (tag, m["path"])
                       for m in orec[tag]["members"]])

    # Macros whose value cannot be computed against the reference (they
    # need a type the reference does not declare on this architecture)
    # are found by trial and compared by spelling instead.
    omitted_macros = set()
    ck = None
    for _attempt in range(8):
        ck = build_checks(ref_decl, our_decl, ref_mac, our_mac,
                          omitted_macros)
        ref_c = os.path.join(args.out, "abi_ref.c")
        ref_s = os.path.join(args.out, "abi_ref.s")
        src, reflines = reference_source(ck)
        write(ref_c, src)
        res = run([cc, "-std=gnu11", "-S", "-o", ref_s] + ref_inc +
                  [ref_c], check=False)
        if res.returncode == 0:
            break
        hit, stray = diagnostics(res.stderr, "abi_ref.c", reflines)
        bad = {reflines[n]["macro"] for n in hit} - {None}
        if stray or len(bad) != len(hit) or not bad:
            sys.stderr.write(res.stderr)
            sys.stderr.write("abi: the reference side does not compile; "
                             "this is a bug in abicheck.py\n")
            return 2
        omitted_macros |= bad
    else:
        sys.stderr.write("abi: gave up isolating unevaluable macros\n")
        return 2
    for name in sorted(omitted_macros):
        if name in our_mac:
            print("abi: note: %s cannot be evaluated against the reference;"
                  " comparing its spelling" % name)
            ok = our_mac[name] == ref_mac[name] or \
                tokenize(our_mac[name][1]) == tokenize(ref_mac[name][1])
            ck.textual.append(("macro %s spelling (not evaluable)" % name,
                               ok))

    values = {}
    with open(ref_s) as f:
        for line in f:
            m = re.search(r"#@ABI@ (\d+) (-?\d+) (-?\d+)", line)
            if m:
                hi = int(m.group(2)) & 0xFFFFFFFF
                lo = int(m.group(3)) & 0xFFFFFFFF
                values[int(m.group(1))] = hi << 32 | lo
    if len(values) != len(ck.items):
        sys.stderr.write("abi: expected %d values from the reference, "
                         "found %d\n" % (len(ck.items), len(values)))
        return 2

    # --- the compiler checks ours ----------------------------------------
    ours_c = os.path.join(args.out, "abi_ours.c")
    ours_o = os.path.join(args.out, "abi_ours.o")
    src, lines = ours_source(ck, values)
    write(ours_c, src)
    # The same assertions, without the userspace prologue, for the
    # kernel-module build (make kmod) to re-check in kernel context.
    write(os.path.join(args.out, "abi_asserts.inc"),
          "".join(l + "\n" for l in src.splitlines()
                  if l.startswith("_Static_assert(")))
    res = run([cc, "-std=gnu11", "-c", "-fmax-errors=0", "-o", ours_o] +
              our_inc + [ours_c], check=False)
    hit, other_errors = diagnostics(res.stderr, "abi_ours.c", lines)
    failed = {}
    for n, msg in hit.items():
        failed.setdefault(lines[n], msg)
    if other_errors:
        sys.stderr.write(res.stderr)
        problems.append("our headers failed to compile in the check unit")
    for what in sorted(failed):
        problems.append("mismatch: %s" % what)

    # --- bit-fields: compare the compiled bytes ---------------------------
    nbf = len(ck.bitfields)
    bf_fail = 0
    if nbf and res.returncode == 0:
        ref_o = os.path.join(args.out, "abi_ref.o")
        run([cc, "-std=gnu11", "-c", "-o", ref_o] + ref_inc +
            [os.path.join(args.out, "abi_ref.c")])
        rb = section_bytes(args.objcopy, ref_o, nbf, args.out, "ref")
        ob = section_bytes(args.objcopy, ours_o, nbf, args.out, "ours")
        for b, x, y in zip(ck.bitfields, rb, ob):
            if x != y:
                bf_fail += 1
                problems.append("mismatch: bit-field layout of %s"
                                % b["what"])

    for what, ok in ck.textual:
        if not ok:
            problems.append("mismatch: %s" % what)

    # --- the headers on their own ----------------------------------------
    alone = standalone(cc, args.cxx, our_inc, args.out)
    for what, ok, err in alone:
        if not ok:
            sys.stderr.write(err)
            problems.append("failed: %s" % what)

    for pat in pats:
        if pat not in used:
            print("abi: note: allow-list entry '%s' matched nothing" % pat)

    if args.verbose:
        for o in omitted:
            print("abi: omitted (allow-listed): %s" % o)
    for p in problems:
        print("abi: %s" % p)

    # One presence check per reference name, one per name of ours.
    nnames = len(names_ref) + len(names_ours)
    nmissing = sum(1 for p in problems if p.startswith("missing "))
    nextra = sum(1 for p in problems if p.startswith("extra "))
    nchecks = len(ck.items) + len(ck.types) + nbf + len(ck.textual) + \
        len(alone) + nnames
    nmis = len(failed) + bf_fail + \
        sum(1 for _w, ok in ck.textual if not ok) + \
        sum(1 for _w, ok, _e in alone if not ok) + nmissing + nextra + \
        (1 if other_errors else 0)
    write(os.path.join(args.out, "summary.json"), json.dumps({
        "checks": nchecks, "mismatches": nmis, "missing": nmissing,
        "extra": nextra, "omitted": len(omitted)}, indent=1) + "\n")
    print("abi: %d reference names: %d matched, %d omitted by allow-list, "
          "%d missing; %d extra names of ours" % (
              len(names_ref), len(names_ref) - len(omitted) - nmissing,
              len(omitted), nmissing, nextra))
    print("abi: %d checks, %d mismatches" % (nchecks, nmis))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
