#!/usr/bin/env bash
# Generates the OneNET Studio codec test vectors (the document's §5 samples) with an implementation independent of
# src/protocols/onenet/codec.ts: the `openssl` command line. Deterministic: fixed inputs, no randomness.
#   signature  = Base64(MD5(token ‖ nonce ‖ msg))     openssl dgst -md5 -binary | openssl base64 -A
#   ciphertext = Base64(AES-128-CBC-PKCS7(key, iv=key)) openssl enc -aes-128-cbc -K <hex> -iv <hex> -base64 -A
# Node is used only to write JSON (escaping), never for crypto.
# Usage: scripts/onenet-vectors.sh   (rewrites src/protocols/onenet/vectors/{positive,negative}/*.json)
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
vectors_name=onenet-vectors
# shellcheck source=scripts/vectors-lib.sh
. scripts/vectors-lib.sh
out=src/protocols/onenet/vectors
mkdir -p "$out/positive" "$out/negative"
rm -f "$out"/positive/*.json "$out"/negative/*.json

# --- openssl primitives -------------------------------------------------------------------------------------
hex() { printf '%s' "$1" | tohex; }
# enc <key> <plaintext> [iv-hex]
enc() { printf '%s' "$2" | openssl enc -aes-128-cbc -K "$(hex "$1")" -iv "${3:-$(hex "$1")}" -base64 -A; }
# dec <key> <ciphertext-base64>: prints the plaintext, fails on bad padding
dec() { printf '%s' "$2" | openssl enc -d -aes-128-cbc -K "$(hex "$1")" -iv "$(hex "$1")" -base64 -A; }
b64_to_hex() { printf '%s' "$1" | openssl base64 -d -A | tohex; }
hex_to_b64() { printf '%s' "$1" | fromhex | openssl base64 -A; }
# flip_byte <base64> <byte index from the end, 1 = last> <xor mask>
flip_byte() {
  local h pos
  h=$(b64_to_hex "$1")
  pos=$((${#h} - 2 * $2))
  hex_to_b64 "${h:0:pos}$(printf '%02x' $((0x${h:pos:2} ^ $3)))${h:pos+2}"
}

# emit <positive|negative> <name> key=string... key:=json...
emit() { emit_json "$out/$1/$2.json" "${@:3}"; }
# sign_vector <name> <description> <token> <nonce> <msg>
sign_vector() {
  check_nonce "$1" "$4"
  emit positive "$1" kind=sign description="$2" token="$3" nonce="$4" msg="$5" signature="$(sig "$3" "$4" "$5")"
}
# aes_vector <name> <description> <key> <plaintext>
aes_vector() {
  local c
  c=$(enc "$3" "$4")
  [ "$(dec "$3" "$c")" == "$4" ] || die "openssl round trip failed for $1"
  emit positive "$1" kind=aes description="$2" key="$3" plaintext="$4" ciphertext="$c"
}

# --- fixed inputs ---------------------------------------------------------------------------------------------
tok=xq7Lm2Vt9sKd
prop='{"projectId":"AbC123","productId":"q7Xk2Lm9Pz","deviceName":"meter-001","messageType":"notify","notifyType":"property","data":{"id":"12345","params":{"Power":{"value":"on","time":1524448722123}}}}'
# params <count> <factor> <format>: params 1..count (zero-padded as seq -w pads them), each printf's format with
# the padded index, the index times factor, and the padded index again; joined by commas
params() {
  local i out=''
  for i in $(seq -w 1 "$1"); do out+=$(printf "$3" "$i" $((10#$i * $2)) "$i"),; done
  printf '%s' "${out%,}"
}
# ~2 KB property message (36 params)
long='{"projectId":"AbC123","productId":"q7Xk2Lm9Pz","deviceName":"meter-001","messageType":"notify","notifyType":"property","data":{"id":"67890","params":{'
long+="$(params 36 7 '"sensor_%s":{"value":%s.25,"time":15244487221%s}')}}}"
# ~1 KB JSON for AES (14 params)
kjson='{"messageType":"notify","notifyType":"property","data":{"id":"4711","params":{'
kjson+="$(params 14 3 '"temperature_%s":{"value":%s.5,"time":15913406481%s,"unit":"celsius"}')}}}"
zh='{"deviceName":"温湿度传感器-01","messageType":"notify","data":{"params":{"状态":{"value":"在线","time":1591340648197}}}}'

# Nonces found once with a bounded search (nc000000..nc000200, token $tok, msg {"temp":23.5}) and hard-coded;
# the checks below keep them honest.
n_plus=nc000004 n_slash=nc000002 n_both=nc000017
short='{"temp":23.5}'
[[ $(sig $tok $n_plus "$short") == *+* && $(sig $tok $n_plus "$short") != */* ]] || die "n_plus"
[[ $(sig $tok $n_slash "$short") == */* && $(sig $tok $n_slash "$short") != *+* ]] || die "n_slash"
[[ $(sig $tok $n_both "$short") == *+*/* || $(sig $tok $n_both "$short") == */*+* ]] || die "n_both"

# --- sign -----------------------------------------------------------------------------------------------------
sign_vector sign-plus 'signature contains + (no /)' $tok $n_plus "$short"
sign_vector sign-slash 'signature contains / (no +)' $tok $n_slash "$short"
sign_vector sign-plus-slash 'signature contains both + and /' $tok $n_both "$short"
sign_vector sign-property 'thing-model property message, 32-char token' 8fK2pQ9xLm4Vt7Ws1Zc3Nb6Hy0Rj5Ud abcdefgh "$prop"
sign_vector sign-chinese 'msg with Chinese characters (UTF-8 bytes are signed)' zhTok2020 Xy7kP2qA "$zh"
sign_vector sign-json-escapes 'msg is a JSON string with quotes and backslashes' token6 q9Wz3Lk0 \
  '{"note":"say \"hi\"","path":"C:\\dev\\meter","re":"\\d+\\.\\d*","nested":"{\"a\":1}"}'
sign_vector sign-short-msg 'one-character msg, 6-char token' s3cr3t 00000000 'x'
sign_vector sign-empty-msg 'empty msg: token and nonce only' s3cr3t Qw3rTy7u ''
sign_vector sign-long-msg "long msg ($(printf '%s' "$long" | wc -c) bytes)" LongMsgToken2024 Lg8Mn5Qr "$long"
sign_vector sign-verification-msg 'verification-style GET: msg is a platform random string' \
  Hx4kT9mQ2pVz M7nQ4rTz 'aB3xK9mQ2pL7wE5v'

# --- verify (positive): the transport-mangled forms of a signature --------------------------------------------
s_both=$(sig $tok $n_both "$short")
s_plus=$(sig $tok $n_plus "$short")
pct() { local s=${1//+/%2B}; s=${s//\//%2F}; printf '%s' "${s//=/%3D}"; }
emit positive verify-raw kind=verify description='raw Base64 signature' \
  token=$tok nonce=$n_both msg="$short" signature="$s_both" expected:=true
emit positive verify-percent-encoded kind=verify description='signature percent-encoded (%2B %2F %3D)' \
  token=$tok nonce=$n_both msg="$short" signature="$(pct "$s_both")" expected:=true
lower=$(pct "$s_both" | sed 's/%2B/%2b/g; s/%2F/%2f/g; s/%3D/%3d/g')
emit positive verify-percent-encoded-lowercase kind=verify description='signature percent-encoded in lower case (%2b %2f %3d)' \
  token=$tok nonce=$n_both msg="$short" signature="$lower" expected:=true
emit positive verify-plus-as-space kind=verify description='+ turned into space by form decoding' \
  token=$tok nonce=$n_plus msg="$short" signature="${s_plus//+/ }" expected:=true
emit positive verify-plus-as-space-slash kind=verify description='+ turned into space, / kept' \
  token=$tok nonce=$n_both msg="$short" signature="${s_both//+/ }" expected:=true

# --- verify (negative) ----------------------------------------------------------------------------------------
[ "$(sig wrongToken1 $n_both "$short")" != "$s_both" ] || die "wrong token collides"
emit negative verify-wrong-token kind=verify description='signature made with another token' \
  token=wrongToken1 nonce=$n_both msg="$short" signature="$s_both" expected:=false
emit negative verify-msg-changed kind=verify description='msg changed by one character' \
  token=$tok nonce=$n_both msg='{"temp":23.6}' signature="$s_both" expected:=false
emit negative verify-nonce-changed kind=verify description='nonce changed by one character' \
  token=$tok nonce=nc000018 msg="$short" signature="$s_both" expected:=false
emit negative verify-padding-stripped kind=verify description='== padding stripped (Studio compares the exact Base64)' \
  token=$tok nonce=$n_both msg="$short" signature="${s_both%==}" expected:=false
first=${s_both:0:1}
[ "$first" = A ] && other=B || other=A
emit negative verify-char-changed kind=verify description='first character of the signature changed' \
  token=$tok nonce=$n_both msg="$short" signature="$other${s_both:1}" expected:=false
emit negative verify-other-msg-signature kind=verify description='valid signature, but of a different msg' \
  token=$tok nonce=$n_both msg="$short" signature="$(sig $tok $n_both "$prop")" expected:=false

# --- aes --------------------------------------------------------------------------------------------------------
key=K7pQ2mX9vL4tR8wZ
aes_vector aes-short-ascii 'short ASCII plaintext' $key 'hello onenet'
aes_vector aes-16-bytes 'exactly 16 bytes: PKCS7 adds a whole block' $key '0123456789abcdef'
aes_vector aes-15-bytes '15 bytes: one byte of padding' $key '0123456789abcde'
aes_vector aes-chinese-json 'Chinese UTF-8 JSON' Ab3dEf6hIj9kLm2n "$zh"
aes_vector aes-1k-json "JSON of $(printf '%s' "$kjson" | wc -c) bytes" $key "$kjson"
aes_vector aes-empty 'empty plaintext: one block of padding' $key ''
aes_vector aes-property 'thing-model property message, another key' abcdefghijklmnop "$prop"

# --- decrypt (negative) ---------------------------------------------------------------------------------------
zero_iv=$(enc $key "$prop" 00000000000000000000000000000000)
[ "$(dec $key "$zero_iv" | od -An -v -tx1)" != "$(printf '%s' "$prop" | od -An -v -tx1)" ] || die "zero IV decrypts correctly"
emit negative decrypt-zero-iv kind=decrypt description='encrypted with a zero IV: the first block decrypts to garbage' \
  key=$key ciphertext="$zero_iv" expect=mismatch plaintext="$prop"

# bad padding: openssl itself must report "bad decrypt"
bad_padding() { # <name> <description> <ciphertext>
  local err
  if err=$(dec $key "$3" 2>&1 >/dev/null); then die "$1: openssl decrypted it"; fi
  [[ $err == *"bad decrypt"* ]] || die "$1: openssl said: $err"
  emit negative "$1" kind=decrypt description="$2" key=$key ciphertext="$3" expect=throws
}
c16=$(enc $key '0123456789abcdef')
bad_padding decrypt-last-byte-flipped 'last ciphertext byte XOR 0x01: padding invalid (openssl: bad decrypt)' \
  "$(flip_byte "$c16" 1 1)"
# Flipping the last byte of the block before the last one changes only the last padding byte (0x05 -> 0x04).
c27=$(enc $key '{"temp":23.5,"hum":41.0000}')
bad_padding decrypt-padding-byte-flipped 'last byte of the second-to-last block XOR 0x01: last padding byte wrong' \
  "$(flip_byte "$c27" 17 1)"

emit negative decrypt-key-15-chars kind=decrypt description='15-character key' \
  key="${key:0:15}" ciphertext="$(enc $key 'hello onenet')" expect=throws
emit negative decrypt-not-base64 kind=decrypt description='ciphertext is not Base64' \
  key=$key ciphertext='not*base64!' expect=throws
short31=$(printf '%s' "$c27" | openssl base64 -d -A | head -c 31 | openssl base64 -A)
if printf '%s' "$short31" | openssl enc -d -aes-128-cbc -K "$(hex $key)" -iv "$(hex $key)" -base64 -A >/dev/null 2>&1; then
  die "openssl decrypted a 31-byte ciphertext"
fi
emit negative decrypt-length-31 kind=decrypt description='31 bytes: not a multiple of 16' \
  key=$key ciphertext="$short31" expect=throws

echo "onenet-vectors: $(ls "$out/positive" | wc -l) positive, $(ls "$out/negative" | wc -l) negative"
