#!/usr/bin/env bash
# Plugins are shared objects that stay independent of each other: a plugin never includes or
# links another plugin's files. What several plugins need lives in plugins/common/<name>/
# (static libraries linked into each .so); besides that only the SDK (core/include/strata) and
# core/promql may be shared. This checks every plugin folder plugins/<kind>/<name>/ and every
# plugins/common/<name>/:
#   - each #include "..." in its C/C++ files resolves (file's folder, the plugin's folder,
#     plugins/common, core/include, the source root, in that order) to its own folder,
#     plugins/common, core/include/strata or core/promql; an include found only in another
#     plugin's folder counts as that plugin's file (headers found nowhere are generated ones);
#   - its CMake files link no target defined in another plugin's folder and no core library
#     but strata_promql, and name no path outside those places.
# Every violation is printed as file:line: problem. Usage: plugin_isolation_test.sh <source dir>
set -euo pipefail
root=$(cd "${1:?usage: plugin_isolation_test.sh <source dir>}" && pwd)
cd "$root"

mapfile -t units < <(find plugins -mindepth 2 -maxdepth 2 -type d | sort)
[ ${#units[@]} -gt 0 ] || { echo "no plugin folders under $root/plugins"; exit 1; }

# The plugin or common folder a repository path belongs to ("" outside plugins/*/*/).
unit_of() {
  local IFS=/
  local -a parts
  read -r -a parts <<<"$1"
  if [ ${#parts[@]} -ge 3 ] && [ "${parts[0]}" = plugins ]; then
    echo "plugins/${parts[1]}/${parts[2]}"
  fi
}

# Whether code of unit $1 may use repository path $2 (a file or folder).
allowed() {
  case "$2/" in
    "$1"/* | plugins/common/* | core/include/strata/* | core/promql/*) return 0 ;;
  esac
  return 1
}

violations=0
report() {
  echo "$1: $2"
  violations=$((violations + 1))
}

# Prints "<line> <function> <argument index> <argument>" for each argument of the CMake calls
# that define or link targets, comments stripped; calls may span lines.
cmake_calls() {
  awk '
    {
      sub(/#.*/, "")
      rest = $0
      while (rest != "") {
        if (!fn) {
          if (!match(rest, /(add_library|add_executable|strata_add_plugin|target_link_libraries)[ \t]*\(/))
            break
          fn = substr(rest, RSTART, RLENGTH)
          sub(/[ \t]*\($/, "", fn)
          arg = 0
          rest = substr(rest, RSTART + RLENGTH)
        }
        close_at = index(rest, ")")
        part = close_at ? substr(rest, 1, close_at - 1) : rest
        n = split(part, tok, /[ \t]+/)
        for (i = 1; i <= n; i++)
          if (tok[i] != "") print FNR, fn, arg++, tok[i]
        if (close_at) {
          fn = ""
          rest = substr(rest, close_at + 1)
        } else {
          rest = ""
        }
      }
    }' "$1"
}

cmake_files() { find "$1" \( -name CMakeLists.txt -o -name '*.cmake' \) -type f | sort; }

# Targets defined in each folder.
declare -A target_unit
for u in "${units[@]}"; do
  while IFS= read -r f; do
    while read -r _ fn idx tok; do
      if [ "$idx" = 0 ] && [ "$fn" != target_link_libraries ]; then target_unit[$tok]=$u; fi
    done < <(cmake_calls "$f")
  done < <(cmake_files "$u")
done
# Core libraries (one per core/ folder, strata_<folder>); plugins may link only strata_promql.
declare -A core_target
for d in core/*/; do
  d=${d%/}
  case "$d" in core/include | core/promql) ;; *) core_target[strata_${d#core/}]=$d ;; esac
done

includes=0
links=0
for u in "${units[@]}"; do
  # Includes.
  while IFS= read -r f; do
    dir=$(dirname "$f")
    while IFS=: read -r line header; do
      includes=$((includes + 1))
      resolved=""
      for base in "$dir" "$u" plugins/common core/include .; do
        if [ -f "$base/$header" ]; then
          resolved=$(realpath -m --relative-to="$root" "$base/$header")
          break
        fi
      done
      if [ -n "$resolved" ]; then
        allowed "$u" "$resolved" || report "$f:$line" "includes \"$header\" = $resolved"
        continue
      fi
      # Not found where this folder's include path reaches: is it another plugin's file?
      while IFS= read -r other; do
        other=${other#./}
        owner=$(unit_of "$other")
        if [ -n "$owner" ] && ! allowed "$u" "$other"; then
          report "$f:$line" "includes \"$header\", found only as $other (another plugin)"
          break
        fi
      done < <(find plugins -type f -path "*/$header")
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
      sed -E 's/^([0-9]+):[^"]*"([^"]*)".*/\1:\2/')
  done < <(find "$u" -type f \( -name '*.h' -o -name '*.hpp' -o -name '*.c' -o -name '*.cc' \
    -o -name '*.cpp' -o -name '*.inc' \) | sort)

  # CMake: linked targets and paths.
  while IFS= read -r f; do
    dir=$(dirname "$f")
    while read -r line fn idx tok; do
      case "$fn:$idx" in target_link_libraries:0 | strata_add_plugin:0) continue ;; esac
      [ "$fn" = target_link_libraries ] || [ "$fn" = strata_add_plugin ] || continue
      links=$((links + 1))
      owner=${target_unit[$tok]:-}
      if [ -n "$owner" ] && [ "$owner" != "$u" ] && ! allowed "$u" "$owner"; then
        report "$f:$line" "links $tok, a target of $owner"
      elif [ -n "${core_target[$tok]:-}" ]; then
        report "$f:$line" "links $tok, the host's ${core_target[$tok]} (plugins see only the SDK)"
      fi
    done < <(cmake_calls "$f")
    # Paths: anything naming plugins/ or going up with "..", resolved from this file.
    while IFS=: read -r line text; do
      while IFS= read -r tok; do
        p=${tok//\$\{CMAKE_CURRENT_SOURCE_DIR\}/$dir}
        p=${p//\$\{CMAKE_CURRENT_LIST_DIR\}/$dir}
        p=${p//\$\{CMAKE_SOURCE_DIR\}/.}
        p=${p//\$\{PROJECT_SOURCE_DIR\}/.}
        case "$p" in
          *"\${"*) continue ;; # another variable: nothing to resolve
          /*) ;;
          *) if [ "$p" = "$tok" ]; then p="$dir/$p"; fi ;; # relative to this CMake file
        esac
        p=$(realpath -m --relative-to="$root" "$p")
        allowed "$u" "$p" || report "$f:$line" "refers to $p ($tok)"
      done < <(grep -oE '[^[:space:]()"]*(plugins/|\.\.)[^[:space:]()"]*' <<<"$text")
    done < <(sed 's/#.*//' "$f" | grep -nE 'plugins/|\.\.' || true)
  done < <(cmake_files "$u")
done

if [ "$violations" -gt 0 ]; then
  echo "plugin isolation: $violations violation(s). A plugin may use only its own folder," \
    "plugins/common/, the SDK (core/include/strata) and core/promql; move shared code to" \
    "plugins/common/<name>/."
  exit 1
fi
echo "plugin isolation: ${#units[@]} folders, $includes includes, $links linked items: clean"
