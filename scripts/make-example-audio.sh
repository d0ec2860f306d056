#!/usr/bin/env bash
# Regenerates every example prompt under examples/*/audio/ (and the few WAVs
# of the checker's fixtures) from the text list below: espeak-ng speaks the text, sox converts it to telephony format
# (8 kHz, mono, signed 16-bit PCM WAV). Running it again gives the same files.
#
# Needs espeak-ng and sox (Debian packages; scripts/bootstrap.sh installs them).
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

# path (relative to the repository) | text [| espeak-ng voice, default $voice]
prompts=$(cat <<'LIST'
examples/dental-front-desk/audio/welcome.wav|Thank you for calling Bright Smile Dental.
examples/dental-front-desk/audio/after-hours.wav|Our office is closed right now. We are open weekdays and Saturday mornings.
examples/dental-front-desk/audio/leave-message.wav|Please leave your name, number and a short message after the tone.
examples/first-national-bank/audio/welcome.wav|Welcome to First National Bank.
examples/first-national-bank/audio/card-blocked.wav|Your card has been blocked. A replacement card will arrive within a week.
examples/multi-language-line/audio/welcome-en.wav|Thank you for calling Northwind Travel.
examples/multi-language-line/audio/welcome-es.wav|Gracias por llamar a Northwind Travel.|es
examples/multi-language-line/audio/welcome-fr.wav|Merci d'avoir appelé Northwind Travel.|fr
examples/support-line/audio/welcome.wav|Thank you for calling Contoso Cloud support.
examples/support-line/audio/voicemail-greeting.wav|Please describe your problem after the tone, then press hash.
examples/support-bridge/audio/welcome.wav|Thank you for calling Northwind Outfitters.
examples/support-bridge/audio/connecting.wav|Please hold while we connect you to the order desk.
examples/freeswitch-demo-ivr/audio/welcome.wav|Welcome to FreeSWITCH.
examples/freeswitch-demo-ivr/audio/demo-menu.wav|To call the FreeSWITCH conference, press 1. To hear the echo test, press 2. To listen to music on hold, press 3. To register for ClueCon, press 4. To listen to screaming monkeys, press 5. For the sample submenu, press 6. To repeat this menu, press 9. If you know your party's extension, enter it at any time.
examples/freeswitch-demo-ivr/audio/screaming-monkey.wav|Ooh ooh ooh, aah aah aah, eee eee eee!
examples/freeswitch-demo-ivr/audio/sample-submenu.wav|This is the sample submenu. To return to the main menu, press star.
Tests/IVRCheckTests/Fixtures/check/audio/welcome.wav|Thank you for calling Riverside Family Clinic.
LIST
)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

count=0
while IFS='|' read -r path text lang; do
    [ -n "$path" ] || continue
    out="$root/$path"
    mkdir -p "$(dirname "$out")"
    espeak-ng -v "${lang:-$voice}" -s "$speed" -w "$tmp/raw.wav" "$text"
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
