# backtp production image: gunicorn on :8000, configured entirely by environment variables.
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
    && useradd --system --uid 10001 --gid backtp --home-dir /app --no-create-home backtp \
    && mkdir /data \
    && chown backtp:backtp /data

# Dependencies first, from pyproject.toml, so code changes reuse this layer.
COPY pyproject.toml README.md ./
COPY backtp/ backtp/
RUN pip install --no-cache-dir .

COPY manage.py ./
COPY templates/ templates/
COPY static/ static/
COPY fixtures/ fixtures/
RUN SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "backtp.healthcheck"]

ENTRYPOINT ["/app/backtp/entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn backtp.wsgi --bind 0.0.0.0:${PORT} --workers 3 --access-logfile -"]
