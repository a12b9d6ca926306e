#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Debian packages, for real: dpkg-buildpackage builds them from a copy
# of the tree (build/pkg/deb), lintian checks them, dpkg -x unpacks them
# into a scratch root (nothing is installed on this machine), the program
# from that root runs, DKMS builds the modules from the unpacked
# ptdump-helper-dkms against Debian's 6.1 and 6.12 headers and the upstream
# 6.18 and 7.1 trees tests/vm/build-kernel.sh builds (the VM suite's
# cached kernels; dkms's trees all in scratch directories), and Debian's
# 6.12 kernel boots under QEMU with the DKMS-built modules, loads them and
# dumps a THP through them.  TAP out.
cd "$(dirname "$0")/../.." || exit 1
# a make -jN of the tests must not reach the packages' own makes (dkms's
# make -j warns "forced in submake", which the warning check reads)
unset MAKEFLAGS MFLAGS MAKELEVEL
OUT=build/pkg
VM_OUT=$OUT/vm
export VM_OUT
# shellcheck source=tests/vm/vmlib.sh
. tests/vm/vmlib.sh

. tests/lib.sh
ok() { u_ok "$@"; }
skip() { u_skip "$@"; }
fail() { u_fail "$@"; }
# check NAME COND-EXIT-STATUS DETAIL...
check() {
	n=$1 st=$2
	shift 2
	if [ "$st" -eq 0 ]; then ok "$n"; else fail "$n" "$@"; fi
}

main() {
for t in dpkg-buildpackage dh dh_dkms lintian dkms; do
	if ! command -v $t >/dev/null; then
		skip "debian_packages" "$t is not installed (make deps)"
		return 0
	fi
done

start=$(date +%s)
if ! debs=$(sh scripts/deb.sh "$OUT/deb"); then
	fail "packages_build" "$(tail -15 "$OUT/deb/build.log")"
	return 0
fi
ok "packages_build"
echo "# dpkg-buildpackage in $(($(date +%s) - start)) s"
ver=$(dpkg-parsechangelog -S Version)
prog=$OUT/deb/ptinspect_${ver}_amd64.deb
dkmsdeb=$OUT/deb/ptdump-helper-dkms_${ver}_all.deb
check "two_packages_built" "$([ -f "$prog" ] && [ -f "$dkmsdeb" ]; echo $?)" "$debs"

# lintian prints "E:", "W:" lines at its default level; nothing else
# counts (it notes it runs as root on stderr)
lint=$(lintian "$OUT/deb/ptinspect_${ver}_amd64.changes" 2>&1)
rc=$?
tags=$(echo "$lint" | grep -E '^[EW]: ')
check "lintian_clean" "$([ "$rc" -eq 0 ] && [ -z "$tags" ]; echo $?)" "exit $rc" "$lint"

root=$OUT/root
rm -rf "$root"
dpkg -x "$prog" "$root" && dpkg -x "$dkmsdeb" "$root"
for f in usr/sbin/ptinspect usr/share/man/man8/ptinspect.8.gz usr/share/man/man4/ptdump_helper.4.gz \
	usr/share/bash-completion/completions/ptinspect usr/share/zsh/vendor-completions/_ptinspect \
	usr/share/doc/ptinspect/copyright usr/share/doc/ptdump-helper-dkms/copyright; do
	check "installed $f" "$([ -s "$root/$f" ]; echo $?)" "missing from the packages"
done
help=$("$root/usr/sbin/ptinspect" --help 2>&1)
check "installed_program_runs" "$(echo "$help" | grep -q '^usage: ptinspect dump'; echo $?)" "$help"
man=$(zcat "$root/usr/share/man/man8/ptinspect.8.gz" | mandoc -T utf8 2>&1 | head -3)
check "installed_man_page_renders" "$(echo "$man" | grep -q PTINSPECT; echo $?)" "$man"
# the packaged completion answers from the packaged program's tables
comp=$(bash --norc --noprofile -c '. "$1"; COMP_WORDS=(ptinspect d); COMP_CWORD=1; _ptinspect; echo "${COMPREPLY[*]}"' \
	bash "$root/usr/share/bash-completion/completions/ptinspect" 2>&1)
check "installed_bash_completion_completes" "$([ "$comp" = "dump decode" ]; echo $?)" "got: $comp"

# make install puts the completion where bash-completion and zsh look
# under a PREFIX of one's own; make uninstall takes it away again
d=$(mktemp -d "$OUT/install.XXXXXX")
make -s install DESTDIR="$d" PREFIX=/usr/local >"$d.log" 2>&1
check "make_install_installs_completion" \
	"$([ -s "$d/usr/local/share/bash-completion/completions/ptinspect" ] &&
		[ -s "$d/usr/local/share/zsh/site-functions/_ptinspect" ]; echo $?)" "$(cat "$d.log"; find "$d")"
make -s uninstall DESTDIR="$d" PREFIX=/usr/local >"$d.log" 2>&1
left=$(find "$d" -type f)
check "make_uninstall_removes_everything" "$([ -z "$left" ]; echo $?)" "left: $left"
rm -rf "$d" "$d.log"

kdir=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' kmod/dkms.conf)
# dh_dkms names the source directory and dkms.conf's PACKAGE_VERSION
# after the package's upstream version
kver=$(dpkg-parsechangelog -S Version | sed 's/-[^-]*$//')
src=$root/usr/src/$kdir-$kver
check "dkms_source_installed" "$([ -f "$src/dkms.conf" ] && [ -f "$src/Kbuild" ]; echo $?)" "$(ls "$src" 2>&1)"
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$src/dkms.conf" 2>&1)
check "dkms_version_is_the_package_version" "$([ "$dv" = "$kver" ]; echo $?)" "dkms.conf says '$dv', the package is $kver"
missing=
for m in $(vm_kmods); do [ -f "$src/$m.c" ] || missing="$missing $m.c"; done
check "dkms_source_has_every_module" "$([ -z "$missing" ]; echo $?)" "missing:$missing"
dkp=$(dpkg-deb -I "$dkmsdeb" postinst 2>&1)
check "dkms_package_postinst_runs_dkms" "$(echo "$dkp" | grep -q 'dkms'; echo $?)" "$dkp"

if [ "$(id -u)" -ne 0 ]; then
	skip "dkms_builds" "dkms needs root"
	return 0
fi
if ! vm_fetch kernels; then
	fail "debian_kernels_downloaded" "$(tail -5 "$VM_OUT/fetch.log")"
	return 0
fi
# vm_initramfs (the 6.12 boot below) sets $root for itself: the source
# tree's path is taken once, here
srctree=$(pwd)/$root/usr/src
# the upstream kernels the VM suite builds from ../shared/kernels (cached)
for k in 6.18 7.1; do
	if sh tests/vm/build-kernel.sh "$k" >>"$VM_OUT/kernels" 2>"$VM_OUT/build-$k.log"; then
		ok "kernel_tree_builds ($k)"
	else
		fail "kernel_tree_builds ($k)" "$(tail -10 "$VM_OUT/build-$k.log")"
	fi
done
# a kernel older than 6.1, and an architecture the modules do not read:
# dkms skips each with one line and exit 77, which the package's postinst
# (dkms's common.postinst) answers with "Skipped." and carries on
t=$(pwd)/$OUT/dkms-exclusive
for ka in 5.10.0-old:x86_64 6.12.0-new:ppc64le; do
	rm -rf "$t"
	mkdir -p "$t/tree" "$t/install" "$t/src"
	dkms build -m "$kdir" -v "$kver" --sourcetree "$srctree" \
		--dkmstree "$t/tree" --installtree "$t/install" \
		-k "${ka%:*}" -a "${ka#*:}" --kernelsourcedir "$t/src" >"$t/dkms.log" 2>&1
	rc=$?
	check "dkms_skips_unsupported (${ka%:*} ${ka#*:})" \
		"$([ "$rc" -eq 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match' "$t/dkms.log" &&
			[ ! -d "$t/tree/$kdir/$kver/${ka%:*}" ]; echo $?)" "exit $rc" "$(cat "$t/dkms.log")"
done
rm -rf "$t"
while read -r line dir rel; do
	[ "$line" = checkpatch ] && continue
	start=$(date +%s)
	t=$(pwd)/$OUT/dkms-$line
	rm -rf "$t"
	mkdir -p "$t/tree" "$t/install"
	dkms build -m "$kdir" -v "$kver" --sourcetree "$srctree" \
		--dkmstree "$t/tree" --installtree "$t/install" \
		-k "$rel" --kernelsourcedir "$dir/root/usr/src/linux-headers-$rel" >"$t/dkms.log" 2>&1
	rc=$?
	mlog=$t/tree/$kdir/$kver/$rel/x86_64/log/make.log
	for m in $(vm_kmods); do
		ko=$t/tree/$kdir/$kver/$rel/x86_64/module/$m.ko
		[ -f "$ko" ] || ko=$ko.xz
		[ -f "$ko" ] || rc=1
	done
	check "dkms_builds ($line)" "$rc" "$(tail -15 "$t/dkms.log"; tail -15 "$mlog" 2>/dev/null)"
	check "dkms_build_warning_free ($line)" "$(! grep -q 'warning:' "$mlog" 2>/dev/null; echo $?)" \
		"$(grep 'warning:' "$mlog" | head -5)"
	# what modinfo sees in the built .ko matches its kernel
	vm=$(modinfo -F vermagic "$t/tree/$kdir/$kver/$rel/x86_64/module/ptdump_helper.ko" 2>&1)
	check "dkms_module_for_its_kernel ($line)" "$(case $vm in "$rel "*) echo 0 ;; *) echo 1 ;; esac)" "vermagic: $vm"
	echo "# dkms build ($line) in $(($(date +%s) - start)) s"
	[ "$line" = 6.12 ] && vm_dkms_boot "$dir" "$rel" "$t/tree/$kdir/$kver/$rel/x86_64/module"
done <"$VM_OUT/kernels"
}

# vm_dkms_boot DIR RELEASE KODIR: the modules DKMS built, loaded by the
# VM's /init, checked by tests/pkg/guest.sh
vm_dkms_boot() {
	if ! command -v qemu-system-x86_64 >/dev/null || [ ! -x /bin/busybox ]; then
		skip "dkms_module_loads_in_vm" "qemu-system-x86_64 or busybox-static is not installed (make deps)"
		return 0
	fi
	if ! vm_static; then
		fail "static_binaries_build" "$(tail -5 "$VM_OUT/static.log")"
		return 0
	fi
	rm -rf "${VM_OUT:?}/$2/kmod"
	mkdir -p "$VM_OUT/$2/kmod"
	cp "$3"/*.ko "$VM_OUT/$2/kmod/"
	vm_initramfs "$2"
	# the guest script, as a second cpio the kernel unpacks over the first
	g=$(mktemp -d "$OUT/guest.XXXXXX")
	cp tests/pkg/guest.sh "$g/pkg.sh"
	(cd "$g" && echo pkg.sh | cpio -o -H newc 2>/dev/null | gzip -1) >>"$VM_OUT/$2/initramfs.gz"
	rm -rf "$g"
	log=$VM_OUT/$2/pkg
	rm -f "$log.out" "$log.console"
	start=$(date +%s)
	timeout 300 sh -c '. tests/vm/vmlib.sh; vm_boot "$@"' vm "$1" "$2" max \
		"loglevel=4 pt.suite=pkg" \
		-serial "file:$log.console" -serial "file:$log.out" -monitor none \
		</dev/null >/dev/null 2>"$log.qemu"
	echo "# 6.12 boot with the DKMS modules in $(($(date +%s) - start)) s"
	# the serial line ends lines with CR LF
	out=$(tr -d '\r' <"$log.out" 2>/dev/null)
	check "vm_ran_the_pkg_suite" "$(echo "$out" | grep -q '^@@done'; echo $?)" \
		"$(tail -20 "$log.console" 2>/dev/null)"
	check "vm_runs_debian_6.12" "$(echo "$out" | grep -qx "@@uname $2"; echo $?)" "$(echo "$out" | grep '^@@uname')"
	for m in $(vm_kmods); do
		want=$(md5sum <"$3/$m.ko" | cut -d ' ' -f 1)
		got=$(echo "$out" | sed -n "s/^@@md5 $m //p")
		st=$(echo "$out" | sed -n "s/^@@state $m //p")
		check "vm_loaded_the_dkms_$m" "$([ "$got" = "$want" ] && [ "$st" = live ]; echo $?)" \
			"loaded '$got' ($st), DKMS built '$want'"
	done
	check "vm_dump_through_the_dkms_module" \
		"$(echo "$out" | grep -qx '@@dump rc 0' && echo "$out" | grep -qx '@@source kmod' &&
			echo "$out" | grep -qx '@@level pgd' && echo "$out" | grep -qx '@@level pmd'; echo $?)" \
		"$(echo "$out" | grep '^@@')"
}

main | awk '{ print } /^(ok|not ok) / { n++ } END { print "1.." n }'
