#!/usr/bin/env bash
# The read model's backups (service postgres-backup in docker-compose.prod.yml, image postgres:15).
#   backup.sh          every BACKUP_INTERVAL_S: pg_dump into BACKUP_DIR, then drop dumps older
#                      than BACKUP_KEEP_DAYS (the default command)
#   backup.sh once     one dump and the pruning, then exit
#   backup.sh restore FILE
#                      replace the database's contents with a dump (stop the backends first)
# Connection: the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_INTERVAL_S="${BACKUP_INTERVAL_S:-21600}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-7}"
database="${PGDATABASE:?set PGDATABASE}"

dump_once() {
  local stamp file
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  file="$BACKUP_DIR/$database-$stamp.dump"
  # Custom format: compressed, and pg_restore can restore it selectively or in parallel.
  pg_dump --format=custom --no-owner --file="$file.partial" "$database"
  mv "$file.partial" "$file"
  echo "backup: $file ($(du -h "$file" | cut -f1))"
  find "$BACKUP_DIR" -maxdepth 1 -name "$database-*.dump" -mtime "+$BACKUP_KEEP_DAYS" -print -delete |
    sed 's/^/backup: pruned /'
  find "$BACKUP_DIR" -maxdepth 1 -name '*.partial' -mmin +60 -delete
}

case "${1:-loop}" in
  loop)
    mkdir -p "$BACKUP_DIR"
    until pg_isready --quiet; do sleep 2; done
    while true; do
      dump_once || echo "backup: pg_dump failed; next try in ${BACKUP_INTERVAL_S}s" >&2
      sleep "$BACKUP_INTERVAL_S"
    done
    ;;
  once)
    mkdir -p "$BACKUP_DIR"
    dump_once
    ;;
  restore)
    file="${2:?usage: backup.sh restore FILE}"
    [ -s "$file" ] || { echo "backup: no dump at $file" >&2; exit 1; }
    echo "backup: restoring $file into $database"
    pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$database" "$file"
    echo "backup: restored"
    ;;
  *)
    echo "usage: backup.sh [loop|once|restore FILE]" >&2
    exit 2
    ;;
esac
