#!/usr/bin/env bash
# Generates the legacy OneNET codec test vectors (the legacy SDKs) with an implementation independent of
# src/protocols/onenet-legacy/codec.ts: the `openssl` command line. Deterministic: fixed inputs, no randomness.
#   msg_signature = Base64(MD5(token ‖ nonce ‖ compact JSON of msg))  openssl dgst -md5 -binary | openssl base64 -A
#   key           = Base64Decode(EncodingAESKey + "=")                  openssl base64 -d -A   (32 bytes)
#   enc_msg       = Base64(AES-256-CBC-PKCS7(key, iv = key[0..16), random16 ‖ be32(len) ‖ msg))
#                                                                       openssl enc -aes-256-cbc -K <hex> -iv <hex>
# Node is used only to write JSON (escaping), never for crypto.
# Usage: scripts/onenet-legacy-vectors.sh   (rewrites src/protocols/onenet-legacy/vectors/*.json)
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
vectors_name=onenet-legacy-vectors
# shellcheck source=scripts/vectors-lib.sh
. scripts/vectors-lib.sh
out=src/protocols/onenet-legacy/vectors
mkdir -p "$out"
rm -f "$out"/*.json

keyhex() { printf '%s=' "$1" | openssl base64 -d -A | tohex; }
# plainhex <random-hex> <msg>: random ‖ be32(byte length of msg) ‖ msg, as hex
plainhex() { printf '%s%08x%s' "$1" "$(printf '%s' "$2" | wc -c)" "$(printf '%s' "$2" | tohex)"; }
# enc <EncodingAESKey> <plaintext-hex>
enc() {
  local k
  k=$(keyhex "$1")
  printf '%s' "$2" | fromhex | openssl enc -aes-256-cbc -K "$k" -iv "${k:0:32}" -base64 -A
}
# dechex <EncodingAESKey> <enc_msg>: the whole plaintext as hex; fails on bad padding
dechex() {
  local k
  k=$(keyhex "$1")
  printf '%s' "$2" | openssl enc -d -aes-256-cbc -K "$k" -iv "${k:0:32}" -base64 -A | tohex
}

# emit <name> key=string... key:=json...
emit() { emit_json "$out/$1.json" "${@:2}"; }

# --- fixed inputs ---------------------------------------------------------------------------------------------
tok=Lg7cyT0kenQ2
dp='{"type":1,"dev_id":2016617,"ds_id":"temperature","at":1466133706841,"value":42}'
slash='{"type":1,"dev_id":3401,"ds_id":"room/3/temp","at":1591340648197,"value":"http://example.com/a/b"}'
status='{"type":2,"dev_id":2016617,"status":1,"login_type":7,"at":1466133706841}'
cmd='{"type":7,"dev_id":55,"at":1591340648197,"cmd_type":0,"cmd_id":"4c9b3a1e-7d2f-4f7a-9f0e-2b6f1c8d5e3a","imei":"865820031234567","send_time":1591340640000,"send_status":1,"confirm_time":1591340648000,"confirm_status":1,"confirm_body":"ok"}'
batch="[$dp,$status,$cmd]"
nested='{"type":1,"dev_id":9,"ds_id":"gps","at":1591340648197,"value":{"lon":106.55,"lat":29.56,"note":"say \"hi\"\\n"}}'

# --- sign: the compact JSON is what is signed --------------------------------------------------------------------
sign_vector() { # <name> <description> <token> <nonce> <msg-json>
  check_nonce "$1" "$4"
  emit "$1" kind=sign description="$2" token="$3" nonce="$4" msg:="$5" signed="$5" signature="$(sig "$3" "$4" "$5")"
}
sign_vector sign-datapoint 'type 1 datapoint' $tok abcdefgh "$dp"
sign_vector sign-slashes 'slashes in strings are signed unescaped (JSON_UNESCAPED_SLASHES)' $tok Zx81Qw0p "$slash"
sign_vector sign-status 'type 2 online/offline' $tok n0nce123 "$status"
sign_vector sign-cached-command 'type 7 cached command result' k3y-T0k3n-Long-2017 Qq7Ww8Ee "$cmd"
sign_vector sign-batch 'a batch: msg is an array of three messages' $tok Bt5hNc9z "$batch"
sign_vector sign-escapes 'an object value with quotes and an escaped newline' $tok Es8cP3qv "$nested"

# A pretty-printed or slash-escaped serialization signs other bytes: the receiver must not use one.
pretty=$(printf '%s' "$dp" | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0,"utf8")),null,2))')
escaped=${slash//\//\\/}
[ "$(sig $tok abcdefgh "$pretty")" != "$(sig $tok abcdefgh "$dp")" ] || die "pretty collides"
emit sign-not-pretty kind=verify description='a signature over the pretty-printed JSON does not verify' \
  token=$tok nonce=abcdefgh msg:="$dp" signature="$(sig $tok abcdefgh "$pretty")" expected:=false
emit sign-not-escaped-slashes kind=verify description='a signature over JSON with \/ escapes does not verify' \
  token=$tok nonce=Zx81Qw0p msg:="$slash" signature="$(sig $tok Zx81Qw0p "$escaped")" expected:=false
emit sign-wrong-token kind=verify description='a signature made with another token does not verify' \
  token=$tok nonce=abcdefgh msg:="$dp" signature="$(sig other-token abcdefgh "$dp")" expected:=false

# --- key derivation ---------------------------------------------------------------------------------------------
key1=kT3pZ8vQ1xN6mB4cR7yH2sL9wF5jD0gA3eU8iO1tY6q
key2=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG
for k in $key1 $key2; do [ ${#k} -eq 43 ] || die "key $k is not 43 characters"; done
for k in $key1 $key2; do
  h=$(keyhex "$k")
  [ ${#h} -eq 64 ] || die "key $k does not decode to 32 bytes"
done
emit key-1 kind=key description='EncodingAESKey + "=" Base64-decoded to 32 bytes; IV = first 16' \
  encodingAesKey=$key1 keyHex="$(keyhex $key1)" ivHex="$(keyhex $key1 | cut -c1-32)"
emit key-2 kind=key description='a key of letters and digits only' \
  encodingAesKey=$key2 keyHex="$(keyhex $key2)" ivHex="$(keyhex $key2 | cut -c1-32)"

# --- encrypt ----------------------------------------------------------------------------------------------------
aes_vector() { # <name> <description> <EncodingAESKey> <random-hex> <msg>
  local p c
  p=$(plainhex "$4" "$5")
  c=$(enc "$3" "$p")
  [ "$(dechex "$3" "$c")" == "$p" ] || die "openssl round trip failed for $1"
  emit "$1" kind=aes description="$2" encodingAesKey="$3" randomHex="$4" msg="$5" encMsg="$c"
}
r1=00112233445566778899aabbccddeeff
r2=f0e1d2c3b4a5968778695a4b3c2d1e0f
aes_vector aes-datapoint 'a datapoint' $key1 $r1 "$dp"
aes_vector aes-batch 'a batch of three' $key1 $r2 "$batch"
aes_vector aes-short 'a short msg: prefix, length and msg fit in two blocks' $key2 $r1 '{"type":1}'
aes_vector aes-12-bytes 'msg of 12 bytes: 32 bytes of plaintext, PKCS7 adds a whole block' $key2 $r2 '{"value":12}'
aes_vector aes-chinese 'UTF-8 msg: the length counts bytes, not characters' $key1 $r1 \
  '{"type":1,"dev_id":7,"ds_id":"温度","at":1591340648197,"value":"在线"}'

# --- decrypt (negative) -----------------------------------------------------------------------------------------
c_dp=$(enc $key1 "$(plainhex $r1 "$dp")")
emit decrypt-other-key kind=decrypt description='encrypted with another EncodingAESKey' \
  encodingAesKey=$key2 encMsg="$c_dp" msg="$dp"
bad_len=$(printf '%s%08x%s' $r1 $(( $(printf '%s' "$dp" | wc -c) + 5 )) "$(printf '%s' "$dp" | tohex)")
emit decrypt-length-mismatch kind=decrypt description='the 4-byte length says 5 bytes more than follow' \
  encodingAesKey=$key1 encMsg="$(enc $key1 "$bad_len")" msg="$dp"
no_prefix=$(printf '%s' "$dp" | tohex)
emit decrypt-no-prefix kind=decrypt description='msg encrypted without the random prefix and length' \
  encodingAesKey=$key1 encMsg="$(enc $key1 "$no_prefix")" msg="$dp"
k=$(keyhex $key1)
# AES-128 with the key's first 16 bytes: another cipher altogether
c128=$(plainhex $r1 "$dp" | fromhex | openssl enc -aes-128-cbc -K "${k:0:32}" -iv "${k:0:32}" -base64 -A)
emit decrypt-aes-128 kind=decrypt description='encrypted with AES-128 and the first 16 key bytes' \
  encodingAesKey=$key1 encMsg="$c128" msg="$dp"
emit decrypt-key-42-chars kind=decrypt description='a 42-character EncodingAESKey' \
  encodingAesKey="${key1:0:42}" encMsg="$c_dp" msg="$dp"
emit decrypt-not-base64 kind=decrypt description='enc_msg is not Base64' \
  encodingAesKey=$key1 encMsg='not*base64!' msg="$dp"

echo "onenet-legacy-vectors: $(ls "$out" | wc -l) vectors"
