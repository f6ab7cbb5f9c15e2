#!/bin/sh
# Print the path of a Python >= 3.12 interpreter, or explain what to install and fail.
# Candidates: python3.13 / python3.12 / python3 on PATH (pyenv shims included: each is
# run, since a shim for an unselected version fails), then pyenv's installed versions.
ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for cand in python3.13 python3.12 python3; do
    if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then
        command -v "$cand"; exit 0
    fi
done
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for cand in "$root"/versions/3.13*/bin/python "$root"/versions/3.12*/bin/python; do
        if [ -x "$cand" ] && ok "$cand"; then echo "$cand"; exit 0; fi
    done
fi
echo "swarmsim needs Python >= 3.12: install python3.12 (or 'pyenv install 3.12') and retry" >&2
exit 1
