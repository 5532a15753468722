#!/usr/bin/env bash
# The grader's cost of each hostile-reply fixture: its verdict on the attacked check, the grader's peak
# resident memory (VmHWM of the grade process, sampled every 20 ms) and the submission's grading time,
# next to alice's in the same course copy as the baseline. Usage: bench/hostile_replies.sh [practical1|practical2 ...]
set -euo pipefail
cd "$(dirname "$0")/.."
grade=.build/debug/grade
fixtures=Tests/GraderTests/Fixtures/HostileReplies
course=$(mktemp -d /tmp/grade-hostile-bench-XXXXXX)
cp -r Assignments Rubrics Submissions "$course"/
spec="$course/Assignments/practical2.yaml"
sed -i 's/settings: {samples: 20000, test: 10000, seconds: 10, hidden: 128}/settings: {samples: 3000, test: 1000, seconds: 2, hidden: 32}/; s/limits: {memory-mib: 1536, cpu: 25}/limits: {memory-mib: 1536, cpu: 8}/; s/expect: {accuracy: 0.95, partial-accuracy: 0.9}/expect: {accuracy: 0.8, partial-accuracy: 0.7}/' "$spec"

measure() { # practical student -> "peak_MiB seconds status"
  "$grade" "$1" --course "$course" --student "$2" --force >"$course/out.txt" 2>&1 & local pid=$!
  local peak=0
  while kill -0 "$pid" 2>/dev/null; do
    local hwm; hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
    sleep 0.02
  done
  wait "$pid" || true
  local line; line=$(grep -E "^\[1/1\] $2:" "$course/out.txt" | tail -1)
  echo "$((peak / 1024)) ${line##*(}" | tr -d ')' | sed 's/ s$//'
}

printf '%-12s %-28s %10s %9s  %s\n' practical fixture "peak MiB" seconds "first failing case"
for practical in "${@:-practical1 practical2}"; do
  for folder in alice $(ls "$fixtures/$practical"); do
    student=$folder
    if [ "$folder" != alice ]; then
      student="hostile-$folder"
      dest="$course/Submissions/$practical/$student"
      mkdir -p "$dest"
      cp "$course/Submissions/$practical/alice/"*.swift "$dest/"
      cp -r "$fixtures/$practical/$folder/." "$dest/"
      if [ -f "$dest/make.sh" ]; then sh "$dest/make.sh" "$dest"; rm "$dest/make.sh"; fi
    fi
    read -r peak seconds < <(measure "$practical" "$student")
    verdict=$(sqlite3 "$course/.grade/gradebook.sqlite" \
      "SELECT c.check_id || ' ' || c.verdict FROM case_results c JOIN submissions s ON s.id = c.submission_id
       WHERE s.student_id = '$student' AND s.assignment_id = '$practical' AND c.verdict <> 'accepted'
       ORDER BY s.id DESC, c.id LIMIT 1" 2>/dev/null || true)
    points=$(sqlite3 "$course/.grade/gradebook.sqlite" "SELECT points FROM grades WHERE student_id = '$student' AND assignment_id = '$practical'" 2>/dev/null || true)
    printf '%-12s %-28s %10s %9s  %s (%s points)\n' "$practical" "$folder" "$peak" "$seconds" "${verdict:-all accepted}" "$points"
  done
done
rm -rf "$course"
