#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the lab on the serial console, through the
# module, on the default scenario.  With pt.tty=1 on the kernel command
# line it is the TUI, sized and typed as the host's terminal; otherwise
# the steps are printed.
# the initramfs carries C.UTF-8, so box lines and "·" are UTF-8 whatever
# the host terminal makes of VT100 line drawing
export TERMINFO_DIRS=/lib/terminfo HOME=/tmp XDG_STATE_HOME=/tmp/state LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1
# pt.con=: the console's device (arm64's virt machine: ttyAMA0)
tty= rows=24 cols=80 term=vt100 con=ttyS0
for w in $(cat /proc/cmdline); do
	case $w in
	pt.con=*) con=${w#pt.con=} ;;
	pt.tty=*) tty=${w#pt.tty=} ;;
	pt.rows=*) rows=${w#pt.rows=} ;;
	pt.cols=*) cols=${w#pt.cols=} ;;
	pt.term=*) term=${w#pt.term=} ;;
	esac
done
if [ "$tty" = 1 ]; then
	stty -F "/dev/$con" rows "$rows" cols "$cols"
	export TERM="$term" con
	# the console as the controlling terminal, so ^C reaches the lab
	setsid sh -c 'exec /ptinspect lab --kind thp <"/dev/$con" >"/dev/$con" 2>&1'
else
	echo "== ptinspect lab --kind thp, kernel $(uname -r), through ptdump_helper"
	/ptinspect lab --kind thp </dev/null >"/dev/$con" 2>&1
fi
