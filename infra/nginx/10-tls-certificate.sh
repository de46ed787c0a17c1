#!/bin/sh
# Runs from the nginx image's entrypoint before nginx starts. If no certificate is mounted at
# $TLS_DIR (tls.crt + tls.key), makes a self-signed one there, once: it lives in the volume and
# is reused on every later start. Mount real ones (read-only) and this does nothing.
set -eu

TLS_DIR="${TLS_DIR:-/etc/nginx/tls}"
TLS_SELF_SIGNED_NAME="${TLS_SELF_SIGNED_NAME:-localhost}"
TLS_SELF_SIGNED_DAYS="${TLS_SELF_SIGNED_DAYS:-365}"
certificate="$TLS_DIR/tls.crt"
key="$TLS_DIR/tls.key"

if [ -s "$certificate" ] && [ -s "$key" ]; then
  echo "tls: using the certificate in $certificate"
  exit 0
fi
if [ -e "$certificate" ] || [ -e "$key" ]; then
  echo "tls: $TLS_DIR holds only one of tls.crt and tls.key: mount both, or neither to get a self-signed pair" >&2
  exit 1
fi
if ! touch "$TLS_DIR/.writable" 2>/dev/null; then
  echo "tls: no certificate in $TLS_DIR and it is read-only: mount tls.crt and tls.key there" >&2
  exit 1
fi
rm -f "$TLS_DIR/.writable"

echo "tls: no certificate mounted; making a self-signed one for $TLS_SELF_SIGNED_NAME ($TLS_SELF_SIGNED_DAYS days)"
umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -nodes \
  -days "$TLS_SELF_SIGNED_DAYS" \
  -subj "/CN=$TLS_SELF_SIGNED_NAME" \
  -addext "subjectAltName=DNS:$TLS_SELF_SIGNED_NAME" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$key.tmp" -out "$certificate.tmp" 2>/dev/null
chmod 0644 "$certificate.tmp"
mv "$key.tmp" "$key"
mv "$certificate.tmp" "$certificate"
