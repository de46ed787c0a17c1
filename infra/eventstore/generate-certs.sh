#!/usr/bin/env bash
# One-shot job of docker-compose.prod.yml (image eventstore/es-gencert-cli): a private CA and one
# certificate per EventStoreDB node, made once and kept in volumes. Later runs find them and exit 0.
#   /ca     the CA certificate and key (this job only)
#   /certs  ca/ca.crt and node<N>/node.{crt,key} for the nodes (read by EventStoreDB as uid 1000)
#   /trust  ca/ca.crt only, for the backends' tlsCAFile
set -euo pipefail

NODES="${EVENTSTORE_NODES:-eventstore-1 eventstore-2 eventstore-3}"
ESDB_UID="${EVENTSTORE_UID:-1000}"

if [ ! -s /ca/ca.crt ]; then
  echo "eventstore-certs: creating the cluster's CA"
  es-gencert-cli create-ca -out /ca
fi

index=0
for node in $NODES; do
  index=$((index + 1))
  out="/certs/node$index"
  if [ -s "$out/node.crt" ]; then continue; fi
  echo "eventstore-certs: certificate for $node"
  # The node's compose name is what clients and the other nodes dial; localhost serves its healthcheck.
  es-gencert-cli create-node -ca-certificate /ca/ca.crt -ca-key /ca/ca.key -out "$out" \
    -dns-names "$node,localhost" -ip-addresses 127.0.0.1
done

mkdir -p /certs/ca /trust/ca
cp /ca/ca.crt /certs/ca/ca.crt
cp /ca/ca.crt /trust/ca/ca.crt
chown -R "$ESDB_UID:$ESDB_UID" /certs
find /certs /trust -type d -exec chmod 0755 {} +
find /certs /trust -type f -name '*.crt' -exec chmod 0644 {} +
find /certs -type f -name '*.key' -exec chmod 0600 {} +
chmod 0600 /ca/ca.key
echo "eventstore-certs: ready"
