# shellcheck shell=bash
# What the codec-vector scripts share (sourced, not run): the openssl MD5 signature, hex conversion, the JSON
# writer and the error exit. Crypto is the `openssl` command line only, so that the vectors come from an
# implementation independent of pushcheck's codecs; Node only writes the JSON (escaping).
# The sourcing script sets `vectors_name` (its name in error messages) first.

# sig <token> <nonce> <msg>: Base64(MD5(token ‖ nonce ‖ msg))
sig() { printf '%s%s%s' "$1" "$2" "$3" | openssl dgst -md5 -binary | openssl base64 -A; }
# tohex / fromhex: stdin's bytes as lowercase hex, and back
tohex() { od -An -v -tx1 | tr -d ' \n'; }
fromhex() { sed 's/../\\x&/g' | xargs -0 printf '%b'; }
die() { echo "$vectors_name: $*" >&2; exit 1; }
# check_nonce <vector name> <nonce>: the protocols' nonces are 8 bytes
check_nonce() { [ "$(printf '%s' "$2" | wc -c)" -eq 8 ] || die "nonce of $1 is not 8 bytes"; }

# emit_json <file> key=string... key:=json...   (writes one JSON object, fields in order)
emit_json() {
  node -e '
    const [file, ...fields] = process.argv.slice(1);
    const obj = {};
    for (const f of fields) {
      const m = /^([A-Za-z]+)(:?=)([\s\S]*)$/.exec(f);
      if (!m) throw new Error(`bad field ${f}`);
      obj[m[1]] = m[2] === ":=" ? JSON.parse(m[3]) : m[3];
    }
    require("node:fs").writeFileSync(file, JSON.stringify(obj, null, 2) + "\n");
  ' "$@"
}
