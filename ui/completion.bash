# bash completion for vmviz: modes, options, their values, and scenario
# names (from `vmviz play --list`). Installed by `make install` as
# PREFIX/share/bash-completion/completions/vmviz.
_vmviz() {
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	}
	local mode="" w
	for w in "${words[@]:1:cword-1}"; do
		case $w in run | play | trace) mode=$w ;; esac
	done
	case $prev in
	--policy) COMPREPLY=($(compgen -W "fifo lru clock" -- "$cur")); [ "$mode" = trace ] &&
		COMPREPLY=($(compgen -W "fifo lru clock opt all" -- "$cur")); return ;;
	--arch) COMPREPLY=($(compgen -W "x86_64 x86" -- "$cur")); return ;;
	--theme) COMPREPLY=($(compgen -W "default contrast mono" -- "$cur")); return ;;
	--lang) COMPREPLY=($(compgen -W "en zh" -- "$cur")); return ;;
	--bad-lines) COMPREPLY=($(compgen -W "skip refuse" -- "$cur")); return ;;
	--frames | --swap | --tlb | --page-size) return ;;
	--record | --trace) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	local opts
	case $mode in
	trace) opts="--frames --policy --page-size --bad-lines --plot --help" ;;
	play) opts="--frames --swap --policy --page-size --arch --tlb --lang --theme --ascii --record --trace --list --help" ;;
	run) opts="--frames --swap --policy --page-size --arch --tlb --lang --check --list --help" ;;
	*) opts="--frames --swap --policy --page-size --arch --tlb --lang --theme --ascii --record --help --version" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ -z "$mode" ]; then
		COMPREPLY=($(compgen -W "play run trace" -- "$cur"))
	elif [ "$mode" = trace ]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	else
		local names
		names=$("${words[0]}" play --list 2>/dev/null | sed -n 's/^  \([^ ]*\) .*/\1/p')
		COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -X '!*.vmm' -- "$cur") $(compgen -d -- "$cur"))
	fi
}
complete -F _vmviz vmviz
