#!/bin/sh
# Installs the Debian packages that building and testing ptinspect need
# (deps.sh all, make check) or only what make demo needs (deps.sh demo),
# when run as root and something is missing; otherwise names what is
# missing and how to get it.  Debian 12 (bookworm) package names.
set -eu

# demo: what make demo needs (ptinspect, the guest's static build, the
# module against Debian's headers, QEMU); the tests add the rest.  A
# workshop laptop installs the first set only.
demo_pkgs="gcc make libc6-dev linux-libc-dev pkg-config libncurses-dev libreadline-dev
 libpfm4-dev python3 qemu-system-x86 busybox-static cpio dwarves bc kmod flex bison
 libelf-dev libssl-dev xz-utils"
arm64_pkgs="gcc-aarch64-linux-gnu qemu-system-arm libncurses-dev:arm64
 libreadline-dev:arm64 libpfm4-dev:arm64"
test_pkgs="clang libclang-rt-14-dev libcmocka-dev mandoc python3-jsonschema tmux procps
 time redis-server postgresql debhelper dh-dkms dkms lintian fakeroot dpkg-dev bash zsh chromium chromium-driver"
case ${1:-all} in
demo)
	pkgs=$demo_pkgs
	if [ "${ARCH:-}" = arm64 ]; then pkgs="$pkgs $arm64_pkgs"; fi
	;;
all) pkgs="$demo_pkgs $test_pkgs $arm64_pkgs" ;;
*)
	echo "usage: deps.sh [demo|all]" >&2
	exit 2
	;;
esac

missing=
native=$(dpkg --print-architecture)
for p in $pkgs; do
	# qualified: with a foreign architecture enabled, a multiarch package
	# installed for both answers once per architecture
	case $p in *:*) q=$p ;; *) q=$p:$native ;; esac
	st=$(dpkg-query -W -f '${db:Status-Status}' "$q" 2>/dev/null || true)
	# an Architecture: all package has no :native instance
	[ -n "$st" ] || st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "ptinspect: missing Debian packages:$missing" >&2
	echo "ptinspect: install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "ptinspect: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
case $missing in
*:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
esac
apt-get update -q >/dev/null
# redis-server and postgresql are for the tests, which start their own:
# the packages' system services are not started by the install (Debian's
# invoke-rc.d asks policy-rc.d; one that says 101 is put there for the
# install alone when none is there)
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	policy=/usr/sbin/policy-rc.d
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
