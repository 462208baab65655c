# dealbot: one image for the bot, the scheduler and the webhook workers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# A user of its own: the bot needs no root, and /data (the SQLite file) is all it writes.
RUN useradd --create-home --uid 10001 dealbot && mkdir -p /data && chown dealbot /data

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY scheduler ./scheduler
COPY web ./web
RUN pip install ".[scale]"

USER dealbot
ENV DATABASE_URL=sqlite+aiosqlite:////data/dealbot.db \
    WEB_HOST=0.0.0.0
VOLUME ["/data"]
EXPOSE 8080

# Settings, database, migrations and Telegram, one line each; non-zero when any fails.
HEALTHCHECK --interval=60s --timeout=30s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "check"]

# Migrations, then the bot (python -m bot also migrates at start; doing it first makes a
# failed migration stop the container before it touches Telegram).
CMD ["sh", "-c", "python -m bot migrate && exec python -m bot"]
