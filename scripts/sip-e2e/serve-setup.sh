# What the PJSIP end-to-end scripts share, sourced by them (bash, set -euo pipefail,
# from the repository's root, after scripts/test-tools.sh):
#   e2e_begin            a built ivrc (IVRC_BIN, else swift build), a work folder
#                        (kept when SIP_E2E_KEEP is set), two free-looking ports:
#                        sip_port (serve) and pj_port (PJSIP's own)
#   e2e_transport T      listen=(serve's --listen/--tls-* options) and pjsip=(the
#                        driver's --transport/--ca) for T = udp, tcp or tls; for tls
#                        a CA and a server certificate for 127.0.0.1 are made with
#                        openssl, or taken from SIP_E2E_TLS_DIR (ca.pem, server.pem,
#                        server-key.pem). udp and tcp keep a UDP listener too.
#   e2e_serve ARGS...    starts `ivrc serve "$work/project" "${listen[@]}" ARGS...`
#                        (stdout/stderr in $work/serve.out/.err) and waits until it
#                        says it listens; $server is its pid, killed on exit.
e2e_begin() {
  if [ -z "${IVRC_BIN:-}" ]; then
    swift build --product ivrc >/dev/null
    IVRC_BIN="$(swift build --show-bin-path)/ivrc"
  fi
  work=$(mktemp -d)
  server=""
  trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; [ -n "${SIP_E2E_KEEP:-}" ] || rm -rf "$work"' EXIT
  sip_port=$((20000 + RANDOM % 10000))
  pj_port=$((sip_port + 1))
}

e2e_transport() {
  listen=(--listen "127.0.0.1:$sip_port")
  pjsip=(--transport "$1")
  case $1 in
    udp) ;;
    tcp) listen+=(--listen "tcp:127.0.0.1:$sip_port") ;;
    tls)
      local tls=${SIP_E2E_TLS_DIR:-}
      if [ -z "$tls" ]; then
        tls=$work/tls; mkdir -p "$tls"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=sip-e2e CA" \
          -keyout "$tls/ca-key.pem" -out "$tls/ca.pem" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
          -keyout "$tls/server-key.pem" -out "$tls/server.csr" 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$tls/server.ext"
        openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial -days 2 \
          -extfile "$tls/server.ext" -out "$tls/server.pem" 2>/dev/null
      fi
      listen+=(--listen "tls:127.0.0.1:$sip_port" --tls-cert "$tls/server.pem" --tls-key "$tls/server-key.pem")
      pjsip+=(--ca "$tls/ca.pem") ;;
    *) echo "SIP_E2E_TRANSPORT: udp, tcp or tls, not $1" >&2; exit 2 ;;
  esac
}

e2e_serve() {
  "$IVRC_BIN" serve "$work/project" "${listen[@]}" "$@" >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 1 200); do grep -q "listening on" "$work/serve.err" 2>/dev/null && return 0; sleep 0.05; done
  echo "serve did not start:" >&2; tail -20 "$work/serve.err" >&2; exit 1
}
