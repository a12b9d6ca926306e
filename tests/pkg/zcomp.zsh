# SPDX-License-Identifier: GPL-2.0
# zsh -f zcomp.zsh DIR LINE: types LINE and a Tab into an interactive zsh
# (under zpty) whose completion system (compinit) has DIR in its fpath,
# and prints the matches the completion functions added, one per line.
zmodload zsh/zpty || exit 1
dir=$1 line=$2
zpty z zsh -f -i
# the prompt shows "<%P>" where the echoed line holds "<%%P>"; every match
# added also goes to the terminal after "<h>"
zpty -w z "PROMPT='<%%P>' RPROMPT=''; fpath=($dir \$fpath); autoload -U compinit; compinit -u -D;" \
	'compadd() { local -a __h; builtin compadd -O __h "$@"; (( $#__h )) && print -rl -- "<h>"${^__h} >&2; builtin compadd "$@" }'
zpty -r z out '*<%P>*'
zpty -w -n z "$line"$'\t'
# the shell reads on only when the completion is done
zpty -w -n z $'\C-u'
zpty -w z 'print "<e""nd>"'
out=
while zpty -r z l; do
	out+=$l
	[[ $l == *'<end>'* ]] && break
done
print -r -- "$out" | tr -d '\r' | sed -n 's/.*<h>//p' | sort -u
zpty -d z
