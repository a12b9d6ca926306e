#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The module graph of src/: a module is x.c with x.h (either may be alone);
module A depends on B when a file of A includes B's header.  Prints the cycles
(strongly connected components of more than one module), the files over the
line limit, and, with --graph, each module's dependencies.

Exit 1 when there is a cycle or a file over the limit, so tests/static.sh can
run it.  Why modules and not files: x.c including y.h and y.c including x.h is
the tangle that makes a change in one ripple into the other."""
import os
import re
import sys

LIMIT = 1000
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(src):
	mods = {}
	for name in sorted(os.listdir(src)):
		base, ext = os.path.splitext(name)
		if ext not in ('.c', '.h'):
			continue
		mods.setdefault(base, []).append(os.path.join(src, name))
	return mods


def graph(src):
	mods = modules(src)
	deps = {m: set() for m in mods}
	for m, files in mods.items():
		for f in files:
			with open(f, encoding='utf-8', errors='replace') as fh:
				for inc in INC.findall(fh.read()):
					b = os.path.splitext(os.path.basename(inc))[0]
					if inc.endswith('.h') and b in mods and b != m:
						deps[m].add(b)
	return mods, deps


def sccs(deps):
	# Tarjan's algorithm, iterative enough for a few hundred modules
	index, low, on, stack, out = {}, {}, set(), [], []
	counter = [0]

	def visit(v):
		index[v] = low[v] = counter[0]
		counter[0] += 1
		stack.append(v)
		on.add(v)
		for w in sorted(deps[v]):
			if w not in index:
				visit(w)
				low[v] = min(low[v], low[w])
			elif w in on:
				low[v] = min(low[v], index[w])
		if low[v] == index[v]:
			comp = []
			while True:
				w = stack.pop()
				on.discard(w)
				comp.append(w)
				if w == v:
					break
			out.append(sorted(comp))

	sys.setrecursionlimit(10000)
	for v in sorted(deps):
		if v not in index:
			visit(v)
	return out


def main():
	args = sys.argv[1:]
	show = '--graph' in args
	args = [a for a in args if a != '--graph']
	src = args[0] if args else os.path.join(os.path.dirname(__file__), '..', 'src')
	mods, deps = graph(src)
	bad = 0
	for comp in sccs(deps):
		if len(comp) > 1:
			print('cycle: ' + ' '.join(comp))
			bad += 1
	for m, files in sorted(mods.items()):
		for f in files:
			with open(f, encoding='utf-8', errors='replace') as fh:
				n = sum(1 for _ in fh)
			if n > LIMIT:
				print('too long: %s (%d lines, limit %d)' % (os.path.relpath(f, src), n, LIMIT))
				bad += 1
	if show:
		for m in sorted(deps):
			print('%s -> %s' % (m, ' '.join(sorted(deps[m]))))
	return 1 if bad else 0


if __name__ == '__main__':
	sys.exit(main())
