#!/usr/bin/env bash
# Regenerates every example prompt under examples/*/audio/ (and the few WAVs
# of the checker's fixtures) from the text list below: espeak-ng speaks the text, sox converts it to telephony format
# (8 kHz, mono, signed 16-bit PCM WAV). Running it again gives the same files.
#
# Needs espeak-ng and sox:  apt-get install -y espeak-ng sox
# Usage:  scripts/make-example-audio.sh        (from anywhere in the repository)
#
# Keep each text identical to the `transcript:` of the `play` step that uses
# the file, so tests and `ivrc simulate` show what the caller really hears.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
voice="${IVR_AUDIO_VOICE:-en-us}"
speed="${IVR_AUDIO_SPEED:-165}"

for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 2; }
done

# path (relative to the repository) | text
prompts=$(cat <<'LIST'
examples/dental-front-desk/audio/welcome.wav|Thank you for calling Bright Smile Dental.
examples/dental-front-desk/audio/after-hours.wav|Our office is closed right now. We are open weekdays and Saturday mornings.
examples/dental-front-desk/audio/leave-message.wav|Please leave your name, number and a short message after the tone.
examples/first-national-bank/audio/welcome.wav|Welcome to First National Bank.
examples/multi-language-line/audio/welcome.wav|Welcome to the City Library. Bienvenidos. Bienvenue.
examples/freeswitch-demo-ivr/audio/welcome.wav|Welcome to FreeSWITCH, the world's first cross-platform scalable free soft switch.
examples/freeswitch-demo-ivr/audio/invalid.wav|That was an invalid entry.
examples/freeswitch-demo-ivr/audio/monkey.wav|Eek! Eek! Ooh ooh aah aah!
examples/first-national-bank/audio/card-blocked.wav|Your card has been blocked. A replacement card will arrive within a week.
Tests/IVRCheckTests/Fixtures/check/audio/welcome.wav|Thank you for calling Riverside Family Clinic.
LIST
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

count=0
while IFS='|' read -r path text; do
    [ -n "$path" ] || continue
    out="$root/$path"
    mkdir -p "$(dirname "$out")"
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
    # -D: no dither, so the output is byte-for-byte reproducible.
    sox -D "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/out.wav"
    mv "$tmp/out.wav" "$out"
    count=$((count + 1))
    echo "wrote $path"
done <<< "$prompts"
# Not telephony-ready on purpose (44.1 kHz stereo): the W205 fixture.
sox -D -n -r 44100 -c 2 -b 16 -e signed-integer "$root/Tests/IVRCheckTests/Fixtures/check/audio/hold-music.wav" synth 0.1 sine 440
echo "wrote Tests/IVRCheckTests/Fixtures/check/audio/hold-music.wav"
echo "$count prompts"
