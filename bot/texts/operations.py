"""Texts about the bot's own health: the database gone, a second poller, possibly lost messages."""

RU = {
    "error.database_gone": (
        "⚠️ Не могу сохранить: файл базы данных пропал или был заменён, пока бот работал. "
        "Ничего из этого действия не записано. Администратор уже предупреждён — "
        "попробуйте позже."
    ),
    "ops.database_gone": (
        "⚠️ Файл базы данных бота удалён или заменён во время работы. Все записи отклоняются, "
        "чтобы ничего не потерялось молча. Восстановите файл из резервной копии "
        "(README, раздел «Резервная копия») и перезапустите бота."
    ),
    "ops.second_poller": (
        "⚠️ Этот бот запущен дважды: другой процесс получает обновления с тем же токеном "
        "(Telegram отвечает 409 Conflict). Остановите лишний процесс — обновления должен "
        "получать только один."
    ),
}

EN = {
    "error.database_gone": (
        "⚠️ Cannot save: the database file disappeared or was replaced while the bot was "
        "running. Nothing of this action was written. An admin has been told; please try "
        "again later."
    ),
    "ops.database_gone": (
        "⚠️ The bot's database file was removed or replaced while the bot runs. Every write is "
        "refused so that nothing is lost silently. Restore the file from a backup (README, "
        "Backup) and restart the bot."
    ),
    "ops.second_poller": (
        "⚠️ This bot runs twice: another process gets updates with the same token (Telegram "
        "answers 409 Conflict). Stop the extra process: only one may receive updates."
    ),
}
