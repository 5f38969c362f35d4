#!/bin/sh
# Container entrypoint: bring the database up to date, refresh the catalogue, then run the command.
# Set MIGRATE_ON_START=0 when a separate job runs migrations (several replicas).
set -eu
cd "$(dirname "$0")/.."

if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
  python manage.py migrate --noinput
  python manage.py load_catalog
fi

exec "$@"
