#!/bin/sh
# Container entrypoint. Three process types run from this one image:
#   (default)  the web server: brings the database up to date, refreshes the catalogue,
#              then runs the command (gunicorn). MIGRATE_ON_START=0 when a separate job
#              runs migrations (several replicas).
#   worker     runs the background tasks (reminders) queued in the database.
#   scheduler  enqueues the scheduled tasks (the every-minute reminder check).
# A worker or scheduler waits (up to WAIT_FOR_MIGRATIONS seconds, 120 by default) until
# the web process or the migration job has brought the database up to date.
set -eu
cd "$(dirname "$0")/.."

wait_for_migrations() {
  waited=0
  until python manage.py migrate --check >/dev/null 2>&1; do
    if [ "$waited" -ge "${WAIT_FOR_MIGRATIONS:-120}" ]; then
      echo "entrypoint: the database is still not migrated after ${waited}s" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}

case "${1:-}" in
  worker)
    shift
    wait_for_migrations
    exec python manage.py db_worker "$@"
    ;;
  scheduler)
    shift
    wait_for_migrations
    exec python manage.py crontask --no-heartbeat "$@"
    ;;
esac

if [ "${MIGRATE_ON_START:-1}" = "1" ]; then
  python manage.py migrate --noinput
  python manage.py load_catalog
fi

exec "$@"
