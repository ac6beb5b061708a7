# Progress lines and logs for the project's scripts (sourced; needs scripts/env.sh first).
#
#   progress_init NAME TOTAL    log to $SHIPSHAPE_LOG_DIR/NAME.log (started afresh), TOTAL numbered steps
#   run_step LABEL KEY -- CMD…  one line "[i/N] LABEL … 4m12s"; CMD's output goes to the log only.
#                               KEY (may be empty) names the step in the duration record, so the next
#                               run shows "(last time 4m12s)" before a long step starts.
#                               With PROGRESS_ALLOW_FAIL=1 a failure prints the same excerpt but does not
#                               exit: run_step returns 0 and leaves the exit code in PROGRESS_RC.
#   skip_step                   counts a step that has nothing to do (no line)
#   progress_fail MESSAGE       the message, the log's last 40 lines and its path; exits 1
#
# Quiet by default; --verbose (the callers turn it into SHIPSHAPE_VERBOSE=1) streams every
# command's output to the terminal as well as the log. A sub-script that runs as one step of its
# caller indents its own lines under the caller's (PROGRESS_INDENT) and prints the caller's step
# line (PROGRESS_HEADER) only once it has something to do, so an idempotent run prints nothing.

: "${SHIPSHAPE_LOG_DIR:=$SHIPSHAPE_CACHE/logs}"
export SHIPSHAPE_LOG_DIR
PROGRESS_DURATIONS="$SHIPSHAPE_LOG_DIR/durations.tsv"

progress_verbose() { [ "${SHIPSHAPE_VERBOSE:-}" = 1 ]; }

# Milliseconds since the epoch.
now_ms() { local t; t="$(date +%s%N)"; echo $((t / 1000000)); }

# 950 → 0.9s, 12000 → 12s, 252000 → 4m12s, 3900000 → 1h05m
fmt_ms() {
  local ms="$1" s
  s=$((ms / 1000))
  if [ "$s" -lt 10 ]; then printf '%d.%ds' "$s" $(((ms % 1000) / 100))
  elif [ "$s" -lt 60 ]; then printf '%ds' "$s"
  elif [ "$s" -lt 3600 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60))
  else printf '%dh%02dm' $((s / 3600)) $((s % 3600 / 60)); fi
}

progress_init() {
  PROGRESS_NAME="$1"
  PROGRESS_TOTAL="$2"
  PROGRESS_STEP=0
  PROGRESS_T0="$(now_ms)"
  PROGRESS_INDENT="${PROGRESS_INDENT:-}"
  PROGRESS_HEADER="${PROGRESS_HEADER:-}"
  mkdir -p "$SHIPSHAPE_LOG_DIR"
  PROGRESS_LOG="$SHIPSHAPE_LOG_DIR/$PROGRESS_NAME.log"
  printf '# %s, %s\n' "$PROGRESS_NAME" "$(date -u +%FT%TZ)" >"$PROGRESS_LOG"
}

# Prints the caller's pending step line once, before this script's first line of its own.
progress_header() {
  if [ -n "${PROGRESS_MARK:-}" ]; then : >"$PROGRESS_MARK"; fi
  if [ -n "$PROGRESS_HEADER" ]; then
    printf '%s\n' "$PROGRESS_HEADER"
    PROGRESS_HEADER=""
  fi
}

# A line that is not a step (an explanation, a warning), at this script's indentation.
progress_say() {
  progress_header
  printf '%s%s\n' "$PROGRESS_INDENT" "$*"
  printf '%s\n' "$*" >>"$PROGRESS_LOG"
}

# The record of how long each step took the last time it did work: "KEY<TAB>MILLISECONDS".
duration_last() {
  [ -n "$1" ] && [ -f "$PROGRESS_DURATIONS" ] || return 0
  awk -F '\t' -v k="$1" '$1 == k {v = $2} END {if (v != "") print v}' "$PROGRESS_DURATIONS"
}
duration_save() {
  [ -n "$1" ] || return 0
  local tmp="$PROGRESS_DURATIONS.$$"
  { [ -f "$PROGRESS_DURATIONS" ] && awk -F '\t' -v k="$1" '$1 != k' "$PROGRESS_DURATIONS"
    printf '%s\t%s\n' "$1" "$2"; } >"$tmp"
  mv "$tmp" "$PROGRESS_DURATIONS"
}

skip_step() { PROGRESS_STEP=$((PROGRESS_STEP + 1)); }

# Rewrites the current line with the elapsed time every few seconds while a step runs (terminals
# only; logs and CI get the plain line).
_progress_ticker() {
  local line="$1" t0="$2"
  while sleep 5; do printf '\r%s%s' "$line" "$(fmt_ms $(($(now_ms) - t0)))"; done
}

run_step() {
  local label="$1" key="$2"
  shift 2
  [ "${1:-}" = -- ] && shift
  PROGRESS_STEP=$((PROGRESS_STEP + 1))
  progress_header
  local last estimate=""
  last="$(duration_last "$key")"
  # Steps that took more than half a minute say how long they took the last time.
  if [ -n "$last" ] && [ "$last" -ge 30000 ]; then estimate=" (last time $(fmt_ms "$last"))"; fi
  local line="${PROGRESS_INDENT}[$PROGRESS_STEP/$PROGRESS_TOTAL] $label$estimate … "
  printf '\n==> [%s/%s] %s (%s)\n' "$PROGRESS_STEP" "$PROGRESS_TOTAL" "$label" "$(date -u +%FT%TZ)" >>"$PROGRESS_LOG"
  local t0 rc ticker=""
  t0="$(now_ms)"
  set +e
  if progress_verbose; then
    printf '%s\n' "$line"
    ( set -e; "$@" ) 2>&1 | tee -a "$PROGRESS_LOG"
    rc="${PIPESTATUS[0]}"
  else
    printf '%s' "$line"
    if [ -t 1 ]; then _progress_ticker "$line" "$t0" & ticker=$!; fi
    ( set -e; "$@" ) >>"$PROGRESS_LOG" 2>&1 </dev/null
    rc=$?
    if [ -n "$ticker" ]; then kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null; printf '\r%s' "$line"; fi
  fi
  set -e
  local took=$(($(now_ms) - t0))
  PROGRESS_RC="$rc"
  if [ "$rc" -eq 0 ]; then
    if progress_verbose; then printf '%s%s done in %s\n' "$PROGRESS_INDENT" "$label" "$(fmt_ms "$took")"
    else printf '%s\n' "$(fmt_ms "$took")"; fi
    printf '==> done in %s\n' "$(fmt_ms "$took")" >>"$PROGRESS_LOG"
    duration_save "$key" "$took"
    return 0
  fi
  progress_verbose || printf 'FAILED after %s\n' "$(fmt_ms "$took")"
  if [ "${PROGRESS_ALLOW_FAIL:-}" = 1 ]; then
    _progress_excerpt "$label failed (exit $rc)"
    return 0
  fi
  progress_fail "$label failed (exit $rc)"
}

progress_fail() {
  _progress_excerpt "$1"
  exit 1
}

_progress_excerpt() {
  printf '==> FAILED: %s\n' "$1" >>"$PROGRESS_LOG"
  {
    printf '%s%s: %s\n' "$PROGRESS_INDENT" "$PROGRESS_NAME" "$1"
    if ! progress_verbose; then
      printf -- '--- last 40 lines of %s ---\n' "$PROGRESS_LOG"
      tail -n 40 "$PROGRESS_LOG"
      printf -- '--- end of the log excerpt ---\n'
    fi
    printf 'full log: %s\n' "$PROGRESS_LOG"
  } >&2
}

# Milliseconds since progress_init.
progress_elapsed() { fmt_ms $(($(now_ms) - PROGRESS_T0)); }
