#!/usr/bin/env bash
# Regenerates the alertpush JPEG vectors: pushcheck's encoder writes each seeded frame (source PPM + JPEG),
# then libjpeg-turbo's `djpeg` (Debian: apt-get install libjpeg-turbo-progs), a decoder independent of
# pushcheck, decodes the JPEG to *.djpeg.ppm. tests/alertpush/jpeg.test.ts checks that the encoder still writes
# the same bytes and that djpeg's pixels are close to the source.
# Usage: scripts/alertpush-jpeg-vectors.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v djpeg >/dev/null || { echo "djpeg not found: apt-get install libjpeg-turbo-progs" >&2; exit 1; }
npx tsx scripts/alertpush-jpeg-vector.ts
for jpg in src/protocols/alertpush/vectors/*.jpg; do
  djpeg -pnm -outfile "${jpg%.jpg}.djpeg.ppm" "$jpg"
  echo "djpeg: ${jpg%.jpg}.djpeg.ppm"
done
