# backtp production image: gunicorn on $PORT (8000), configured entirely by environment variables.
# Runs as uid 10001; code and static files belong to root, so the root filesystem can be
# read-only (docs/deploy.md). Only /data (the default SQLite database) and /tmp are written.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/db.sqlite3

WORKDIR /app

RUN groupadd --system --gid 10001 backtp \
    && useradd --system --uid 10001 --gid backtp --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin backtp \
    && install -d -o 10001 -g 10001 -m 0700 /data

# Dependencies first, read from pyproject.toml, so a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY manage.py ./
COPY backtp/ backtp/
COPY deploy/__init__.py deploy/entrypoint.sh deploy/gunicorn.conf.py deploy/healthcheck.py deploy/
COPY templates/ templates/
COPY static/ static/
COPY fixtures/ fixtures/
# Static files collected and bytecode compiled at build time, both owned by root:
# at run time nothing under /app is written, and nothing there is writable by uid 10001.
RUN SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput \
    && python -m compileall -q backtp deploy \
    && chmod -R go-w /app

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "deploy.healthcheck"]

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "backtp.wsgi"]
