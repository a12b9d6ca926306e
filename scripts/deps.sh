#!/bin/sh
# Installs the Debian packages that building and testing ptinspect need,
# when run as root and something is missing; otherwise names what is
# missing and how to get it.  Debian 12 (bookworm) package names.
set -eu

pkgs="gcc make clang libclang-rt-14-dev libc6-dev linux-libc-dev pkg-config libcmocka-dev
 libncurses-dev libreadline-dev libpfm4-dev mandoc python3
 python3-jsonschema tmux qemu-system-x86 busybox-static cpio dwarves
 bc kmod procps time flex bison libelf-dev libssl-dev xz-utils
 redis-server postgresql
 debhelper dh-dkms dkms lintian fakeroot dpkg-dev bash zsh
 chromium chromium-driver
 gcc-aarch64-linux-gnu qemu-system-arm libncurses-dev:arm64
 libreadline-dev:arm64 libpfm4-dev:arm64"
# The :arm64 packages (the static arm64 ptinspect of the arm64 VM) come
# from Debian's multiarch.  busybox-static:arm64 is not among them: it
# would replace the host's /bin/busybox; tests/vm/fetch-kernels.sh
# unpacks it into the cache instead.

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
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
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
