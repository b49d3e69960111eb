#!/usr/bin/env bash
# Every C/C++ file in git is clang-formatted with the repository's .clang-format.
set -euo pipefail
cd "$1"
mapfile -t files < <(git ls-files '*.c' '*.cc' '*.h' '*.hpp')
[ ${#files[@]} -gt 0 ] || { echo "no files found"; exit 1; }
clang-format --dry-run -Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
