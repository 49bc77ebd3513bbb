#!/usr/bin/env bash
# Take every scene of stage.py at 1280x800 and 1024x600 into this folder (needs Xvfb; see
# ../../../shared/tools/screenshot). Usage: docs/screenshots/make.sh [PYTHON]  (from the repo root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${1:-python}
shot=${SCREENSHOT:-$root/../shared/tools/screenshot}
scenes="start start-problem start-client client-question client-activity body-map screening runner-untimed runner-hold runner-safety runner-breathing summary summary-practice history progress settings recovery"
# take SCENE SIZE [TEXT_SCALE]: one screenshot, in a fresh data folder
take() {
  local scene=$1 size=$2 scale=${3:-} home wait=4 name
  home=$(mktemp -d)
  name="$scene-$size${scale:+-text$scale}.png"
  if [[ -n $scale ]]; then
    mkdir -p "$home/config" && echo "{\"text_scale\": $scale}" > "$home/config/settings.json"
  fi
  [[ $scene == summary* ]] && wait=12  # these run a session at high speed first
  NECK_GUIDE_HOME=$home "$shot" "$here/$name" --size "$size" --wait "$wait" -- \
    "$python" "$here/stage.py" "$scene" >/dev/null
  # the speech renderer may still be finishing a file in $home as the app is stopped: try again
  rm -rf "$home" 2>/dev/null || { sleep 1; rm -rf "$home" 2>/dev/null || true; }
  echo "$name"
}
for size in 1280x800 1024x600; do
  for scene in $scenes; do
    take "$scene" "$size"
  done
done
# large text on the smallest screen (README: "Text size, themes and small screens")
for scene in $scenes; do
  take "$scene" 1024x600 1.5
done
