# bash completion for spotform: commands, `state` subcommands, each command's flags and the
# addresses (env.NAME, env.NAME.ins-...) recorded in the state.
#
# Installed as share/bash-completion/completions/spotform (`cmake --install`, the .deb);
# without an install: `source <(spotform completion bash)`, e.g. in ~/.bashrc.
#
# Nothing is listed here by hand: the commands come from `spotform --help`, the state
# subcommands from `spotform state --help`, a command's flags from `spotform COMMAND --help`
# (each asked once per shell and binary), and the addresses from `spotform state list`, which
# reads the state without a lock or cloud call and prints nothing when there is no state.
# Sourced into interactive shells, so no `set -euo pipefail` here; it works under `set -u`.

declare -gA _spotform_cache=()

# The spotform being completed: the word typed (./build/cmd/spotform, ~/bin/spotform) when
# it is a program, else `spotform` from PATH.
_spotform_binary() {
  local typed=${COMP_WORDS[0]-spotform}
  # shellcheck disable=SC2088 # the typed word holds a literal ~ (completion does not expand it)
  [[ $typed == "~/"* ]] && typed=$HOME/${typed#"~/"}
  if [[ $typed == */* && -x $typed ]]; then
    printf '%s\n' "$typed"
  else
    printf '%s\n' spotform
  fi
}

# _spotform_help_section BIN HEADING ARGS...: the first word of each line of one section
# ("Commands:", "Subcommands:") of `BIN ARGS... --help`.
_spotform_help_section() {
  local bin=$1 heading=$2 line in_section=0
  shift 2
  while IFS= read -r line; do
    if [[ $line == "$heading" ]]; then
      in_section=1
    elif ((in_section)); then
      [[ -z $line ]] && break
      [[ $line =~ ^\ +([a-z][a-z0-9-]*) ]] && printf '%s\n' "${BASH_REMATCH[1]}"
    fi
  done < <("$bin" "$@" --help 2>/dev/null)
}

# _spotform_load_flags BIN KEY ARGS...: reads the option lines of `BIN ARGS... --help`
# ("  --out PLANFILE  save...", "  -c [ --config ] FILE  ...") into the cache: KEY|flags
# (every flag) and KEY|value:--FLAG (the value's name, for the flags that take one).
_spotform_load_flags() {
  local bin=$1 key=$2 line flags=""
  shift 2
  [[ -n ${_spotform_cache[$key|flags]+set} ]] && return 0
  local option='^  (-([A-Za-z0-9]) \[ )?--([A-Za-z0-9][A-Za-z0-9-]*)( \])?( ([^ ]+))?( |$)'
  while IFS= read -r line; do
    [[ $line =~ $option ]] || continue
    local name=--${BASH_REMATCH[3]} short=${BASH_REMATCH[2]} value=${BASH_REMATCH[6]}
    flags+=" $name"
    [[ -n $short ]] && flags+=" -$short"
    if [[ -n $value ]]; then
      _spotform_cache[$key|value:$name]=$value
      [[ -n $short ]] && _spotform_cache[$key|value:-$short]=$value
    fi
  done < <("$bin" "$@" --help 2>/dev/null)
  _spotform_cache[$key|flags]=$flags
}

# _spotform_addresses BIN [envs] CONFIG_ARGS...: the recorded addresses (only env.NAME with
# `envs`). Quiet and bounded: no state, no config or a slow backend give nothing.
_spotform_addresses() {
  local bin=$1 only_envs=0 address
  shift
  [[ ${1-} == envs ]] && { only_envs=1; shift; }
  local runner=()
  command -v timeout >/dev/null 2>&1 && runner=(timeout 3)
  while IFS= read -r address; do
    [[ $address == env.* ]] || continue
    ((only_envs)) && [[ ${address#env.} == *.* ]] && continue
    printf '%s\n' "$address"
  done < <("${runner[@]}" "$bin" "$@" state list 2>/dev/null)
}

# Sets COMPREPLY to the words of the list $2 that start with $1.
_spotform_words() {
  local IFS=$'\n'
  # shellcheck disable=SC2207
  COMPREPLY=($(compgen -W "$2" -- "$1"))
}

_spotform_files() {
  compopt -o filenames 2>/dev/null
  mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# The completion function: complete -F _spotform spotform.
_spotform() {
  COMPREPLY=()
  local cword=${COMP_CWORD-0}
  local cur=${COMP_WORDS[cword]-} prev=""
  ((cword > 0)) && prev=${COMP_WORDS[cword - 1]-}
  # --flag=value: bash splits it into --flag, =, value (or --flag, = while the value is empty).
  if [[ $cur == "=" ]]; then
    cur=""
  elif [[ $prev == "=" ]] && ((cword > 1)); then
    prev=${COMP_WORDS[cword - 2]-}
  fi
  local bin
  bin=$(_spotform_binary)

  # The command, the state subcommand, -c FILE and the positional arguments before the cursor.
  local i word command="" sub="" config_args=() positionals=0
  for ((i = 1; i < cword; i++)); do
    word=${COMP_WORDS[i]-}
    if [[ $word == -c || $word == --config ]]; then
      [[ ${COMP_WORDS[i + 1]-} == "=" ]] && i=$((i + 1))  # --config=FILE: split at "="
      ((i + 1 < cword)) && config_args=(--config "${COMP_WORDS[i + 1]-}")
      i=$((i + 1))
    elif [[ $word == --config=* ]]; then
      config_args=("$word")
    elif [[ $word == "=" ]]; then
      i=$((i + 1))  # --flag=value: the value follows the "=" word
    elif [[ $word == -* ]]; then
      # A command's flag that takes a value (--zone Z): the value is not a positional.
      if [[ -n $command && $word != *=* && ${COMP_WORDS[i + 1]-} != "=" ]]; then
        local flags_key="$bin|$command${sub:+ $sub}"
        _spotform_load_flags "$bin" "$flags_key" "$command" ${sub:+"$sub"}
        [[ -n ${_spotform_cache[$flags_key|value:$word]-} ]] && i=$((i + 1))
      fi
    elif [[ -z $command ]]; then
      command=$word
    elif [[ $command == state && -z $sub ]]; then
      sub=$word
    else
      positionals=$((positionals + 1))
    fi
  done

  if [[ $prev == -c || $prev == --config ]]; then
    _spotform_files "$cur"
    return 0
  fi
  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      _spotform_words "$cur" $'-c\n--config\n--no-color\n-v\n--verbose\n-h\n--help\n--version'
    else
      local key="$bin|commands"
      [[ -n ${_spotform_cache[$key]+set} ]] ||
        _spotform_cache[$key]=$(_spotform_help_section "$bin" "Commands:")
      _spotform_words "$cur" "${_spotform_cache[$key]}"
    fi
    return 0
  fi
  if [[ $command == state && -z $sub ]]; then
    if [[ $cur == -* ]]; then
      _spotform_words "$cur" $'-h\n--help'
    else
      local key="$bin|state-subcommands"
      [[ -n ${_spotform_cache[$key]+set} ]] ||
        _spotform_cache[$key]=$(_spotform_help_section "$bin" "Subcommands:" state)
      _spotform_words "$cur" "${_spotform_cache[$key]}"
    fi
    return 0
  fi

  local words=("$command")
  [[ -n $sub ]] && words+=("$sub")
  local key="$bin|${words[*]}"
  _spotform_load_flags "$bin" "$key" "${words[@]}"

  # The value of a flag.
  if [[ $prev == -* ]]; then
    local value=${_spotform_cache[$key|value:$prev]-}
    if [[ -n $value ]]; then
      case $value in
        env.*) _spotform_words "$cur" "$(_spotform_addresses "$bin" envs "${config_args[@]}")" ;;
        BOOL) _spotform_words "$cur" $'true\nfalse' ;;
        *[a-z]/[a-z]* | *[a-z]\|[a-z]*) _spotform_words "$cur" "$(tr '/|' '\n' <<<"$value")" ;;
        *FILE* | *PATH* | *DIR*) _spotform_files "$cur" ;;
      esac
      return 0
    fi
  fi
  if [[ $cur == -* ]]; then
    _spotform_words "$cur" "$(tr ' ' '\n' <<<"${_spotform_cache[$key|flags]}")"
    return 0
  fi

  # Positional arguments.
  case "${words[*]}" in
    "state show" | "state rm" | "state mv")
      _spotform_words "$cur" "$(_spotform_addresses "$bin" "${config_args[@]}")" ;;
    import)
      ((positionals == 0)) &&
        _spotform_words "$cur" "$(_spotform_addresses "$bin" envs "${config_args[@]}")" ;;
    apply | show | "state migrate")
      _spotform_files "$cur" ;;
    completion)
      ((positionals == 0)) && _spotform_words "$cur" bash ;;
  esac
  return 0
}

complete -F _spotform spotform
