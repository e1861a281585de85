# Shared by the set-up scripts: cache location, progress and failure output.
CACHE=${TODO_PLATFORM_CACHE:-$HOME/.cache/todo-platform}
mkdir -p "$CACHE"
step() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
