#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: the first lesson (ptinspect learn fork-cow:
# questions first, answers from this kernel) and then the lab on the
# serial console, through the module.  With pt.tty=1 on the kernel
# command line both are the TUI, sized and typed as the host's terminal;
# otherwise the lessons are listed and the lab's steps printed.
# pt.demo=learn (make demo passes it; DEMO=lab make demo does not) runs
# the lesson first; without it (tests/vm/tui.sh) the lab alone.
# the initramfs carries C.UTF-8, so box lines and "·" are UTF-8 whatever
# the host terminal makes of VT100 line drawing
export TERMINFO_DIRS=/lib/terminfo HOME=/tmp XDG_STATE_HOME=/tmp/state LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1
# pt.con=: the console's device (arm64's virt machine: ttyAMA0)
tty= rows=24 cols=80 term=vt100 con=ttyS0 demo=lab
for w in $(cat /proc/cmdline); do
	case $w in
	pt.con=*) con=${w#pt.con=} ;;
	pt.tty=*) tty=${w#pt.tty=} ;;
	pt.rows=*) rows=${w#pt.rows=} ;;
	pt.cols=*) cols=${w#pt.cols=} ;;
	pt.term=*) term=${w#pt.term=} ;;
	pt.demo=*) demo=${w#pt.demo=} ;;
	esac
done
if [ "$tty" = 1 ]; then
	stty -F "/dev/$con" rows "$rows" cols "$cols"
	export TERM="$term" con
	# the console as the controlling terminal, so ^C reaches the lab; q
	# (or the lesson's end) goes on from the lesson to the lab
	if [ "$demo" = learn ]; then
		setsid sh -c '/ptinspect learn fork-cow <"/dev/$con" >"/dev/$con" 2>&1
			echo "ptinspect demo: the lab next (q quits it and the VM); more lessons: ptinspect learn" >"/dev/$con"
			sleep 3'
	fi
	setsid sh -c 'exec /ptinspect lab --kind thp <"/dev/$con" >"/dev/$con" 2>&1'
else
	/ptinspect learn >"/dev/$con" 2>&1
	echo "== ptinspect lab --kind thp, kernel $(uname -r), through ptdump_helper"
	/ptinspect lab --kind thp </dev/null >"/dev/$con" 2>&1
fi
