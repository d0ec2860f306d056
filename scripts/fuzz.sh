#!/usr/bin/env bash
# Builds a libFuzzer target of the Fuzz/ package with AddressSanitizer and runs it.
#   scripts/fuzz.sh [TARGET] [SECONDS]     e.g. scripts/fuzz.sh FuzzFrontEnd 600
# TARGET: FuzzFrontEnd (default), FuzzBundle, FuzzSIP or FuzzImport. The corpus
# starts from the examples and the check fixtures (FuzzBundle: the examples built
# into .build/fuzz-seeds/, with and without --strip; FuzzSIP: the SIP, SDP,
# RTP, WAV and DNS messages this script writes to .build/fuzz-seeds/sip/;
# FuzzImport: the FreeSWITCH, Studio and Connect files of the import tests);
# crashes are written to fuzz-artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-FuzzFrontEnd}
seconds=${2:-60}
if [ "$target" = FuzzBundle ]; then
  swift build --product ivrc >/dev/null
  ivrc=$(swift build --show-bin-path)/ivrc
  mkdir -p .build/fuzz-seeds
  for project in examples/*/; do
    name=$(basename "$project")
    "$ivrc" build "$project" -o ".build/fuzz-seeds/$name.ivrb" >/dev/null
    "$ivrc" build "$project" --strip -o ".build/fuzz-seeds/$name-stripped.ivrb" >/dev/null
  done
fi
if [ "$target" = FuzzSIP ]; then
  seeds=.build/fuzz-seeds/sip
  mkdir -p "$seeds"
  seed() { printf '%b' "$2" >"$seeds/$1"; }
  via='Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport\r\n'
  dialog='From: "Alice" <sip:alice@192.0.2.1>;tag=1928301774\r\nTo: <sip:100@192.0.2.9>;tag=a6c85cf\r\nCall-ID: a84b4c76e66710@192.0.2.1\r\n'
  sdp='v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n'
  sdp_length=$(printf '%b' "$sdp" | wc -c)
  seed invite.sip "INVITE sip:100@192.0.2.9 SIP/2.0\r\n${via}Max-Forwards: 70\r\nFrom: <sip:alice@192.0.2.1>;tag=1\r\nTo: <sip:100@192.0.2.9>\r\nCall-ID: c1@192.0.2.1\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@192.0.2.1:5060>\r\nContent-Type: application/sdp\r\nContent-Length: $sdp_length\r\n\r\n$sdp"
  seed sdp.txt "$sdp"
  seed stream-pipelined.sip "\r\n\r\nOPTIONS sip:100@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 2 OPTIONS\r\nl: 3\r\n\r\nabc\r\nBYE sip:100@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 3 BYE\r\nContent-Length: 0\r\n\r\nINVITE sip:1"
  seed stream-conflict.sip "OPTIONS sip:100@192.0.2.9 SIP/2.0\r\nContent-Length: 2\r\ncontent-length : 3\r\n\r\nab"
  seed options.sip "OPTIONS sip:100@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 2 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n"
  seed bye.sip "BYE sip:100@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 3 BYE\r\nContent-Length: 0\r\n\r\n"
  seed cancel.sip "CANCEL sip:100@192.0.2.9 SIP/2.0\r\n${via}From: <sip:alice@192.0.2.1>;tag=1\r\nTo: <sip:100@192.0.2.9>\r\nCall-ID: c1@192.0.2.1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"
  seed info.sip "INFO sip:100@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 4 INFO\r\nContent-Type: application/dtmf-relay\r\nContent-Length: 24\r\n\r\nSignal=5\r\nDuration=160\r\n"
  seed notify.sip "NOTIFY sip:ivrc@192.0.2.9 SIP/2.0\r\n${via}${dialog}CSeq: 5 NOTIFY\r\nEvent: refer\r\nSubscription-State: terminated;reason=noresource\r\nContent-Type: message/sipfrag;version=2.0\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n"
  seed ok.sip "SIP/2.0 200 OK\r\n${via}${dialog}CSeq: 1 INVITE\r\nContact: <sip:100@192.0.2.9>\r\nContent-Type: application/sdp\r\nContent-Length: $sdp_length\r\n\r\n$sdp"
  seed compact.sip "INVITE sip:vivekg@chair.example.com;unknownparam SIP/2.0\r\nTO :\r\n sip:vivekg@chair.example.com ;   tag    = 1918181833n\r\nf   : \"J R \\\\\\\"\" <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8\r\nMaX-fOrWaRdS: 0068\r\ni: wsinv.ndaksdj@192.0.2.1\r\nl   : 3\r\ncseq: 0009\r\n  INVITE\r\nv  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw\r\ns :\r\nm:\"Quoted \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33\r\nc: application/sdp\r\n\r\nv=0"
  seed lf-only.sip "OPTIONS sip:100@192.0.2.9 SIP/2.0\nVia: SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bKx;received=192.0.2.5\nvia: SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKy\nFrom: sip:a@b;tag=1\nTo: sip:100@192.0.2.9\nCall-ID: lf\nCSeq: 9 OPTIONS\n\n"
  seed bad-length.sip "INVITE sip:100@192.0.2.9 SIP/2.0\r\n${via}From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: bad\r\nCSeq: 1 INVITE\r\nContent-Length: 500\r\n\r\n"
  seed challenge-401.sip "SIP/2.0 401 Unauthorized\r\n${via}${dialog}CSeq: 1 INVITE\r\nWWW-Authenticate: Digest realm=\"trunk.example\", nonce=\"7ypf/xlj9XXwfDPEoM4URrv\", qop=\"auth,auth-int\", algorithm=SHA-256, opaque=\"FQhe\"\r\nWWW-Authenticate: Digest realm=\"trunk.example\", nonce=\"7ypf\", algorithm=MD5, stale=TRUE\r\nContent-Length: 0\r\n\r\n"
  seed challenge-407.sip "SIP/2.0 407 Proxy Authentication Required\r\n${via}${dialog}CSeq: 1 INVITE\r\nProxy-Authenticate: Digest realm=\"a, \\\"b\\\"\",nonce=\"n\" , qop=auth\r\nContent-Length: 0\r\n\r\n"
  seed rtp-pcmu.bin '\x80\x80\x12\x34\x00\x00\x00\xa0\xde\xad\xbe\xef\xff\xfe\x7f\x00\x80\x81\x01\x02'
  seed rtp-event.bin '\x80\xe5\x00\x01\x00\x00\x10\x00\x00\x00\x00\x09\x05\x8a\x03\x20'
  seed rtp-ext-pad.bin '\xb1\x08\x00\x01\x00\x00\x00\xa0\x00\x00\x00\x09\x00\x00\x00\x07\xbe\xde\x00\x01\x01\x02\x03\x04\xaa\xbb\x00\x00\x03'
  seed dns-srv.bin '\x12\x34\x85\x80\x00\x01\x00\x02\x00\x00\x00\x02\x04\x5f\x73\x69\x70\x04\x5f\x75\x64\x70\x03\x69\x76\x72\x04\x74\x65\x73\x74\x00\x00\x21\x00\x01\xc0\x0c\x00\x21\x00\x01\x00\x00\x00\x00\x00\x12\x00\x14\x00\x00\x13\xd0\x01\x62\x03\x69\x76\x72\x04\x74\x65\x73\x74\x00\xc0\x0c\x00\x21\x00\x01\x00\x00\x00\x00\x00\x12\x00\x0a\x00\x3c\x13\xcf\x01\x61\x03\x69\x76\x72\x04\x74\x65\x73\x74\x00\xc0\x54\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x7f\x00\x00\x01\xc0\x36\x00\x01\x00\x01\x00\x00\x00\x00\x00\x04\x7f\x00\x00\x01'
  seed prompt.wav 'RIFF\x2c\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x08\x00\x00\x00\x00\x00\xff\x7f\x00\x80\x01\x00'
fi
swift build --package-path Fuzz -c release --product "$target" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld >/dev/null
bin=$(swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --show-bin-path)/$target
corpus=.build/fuzz-corpus/$target
mkdir -p "$corpus" "fuzz-artifacts/$target"
case $target in
  FuzzFrontEnd) find examples Tests/IVRCheckTests/Fixtures -name '*.yaml' -exec cp {} "$corpus/" \; 2>/dev/null || true ;;
  FuzzBundle) find .build/fuzz-seeds -name '*.ivrb' -exec cp {} "$corpus/" \; 2>/dev/null || true ;;
  FuzzSIP) cp .build/fuzz-seeds/sip/* "$corpus/" ;;
  FuzzImport) cp Tests/IVRImportTests/Fixtures/*.xml Tests/IVRImportTests/Fixtures/*.json "$corpus/" ;;
esac
# Leaks inside Foundation's XMLParser are not ours (Fuzz/lsan-suppressions.txt).
LSAN_OPTIONS=suppressions=Fuzz/lsan-suppressions.txt "$bin" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="fuzz-artifacts/$target/" -print_final_stats=1 2>&1 | tail -25
