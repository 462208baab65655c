"""Descriptions of the commands in Telegram's "/" menu (at most 256 characters each)."""

RU = {
    "cmd.new": "Новая сделка",
    "cmd.today": "Сделки на сегодня",
    "cmd.overdue": "Просроченные сделки",
    "cmd.nonext": "Сделки без следующего шага",
    "cmd.mydeals": "Мои сделки",
    "cmd.week": "Сделки на 7 дней вперёд",
    "cmd.away": "Отсутствие: отпуск, больничный",
    "cmd.find": "Поиск по e-mail, телефону, имени",
    "cmd.stats": "Статистика и план",
    "cmd.report": "Отчёт за период: воронка, источники, менеджеры",
    "cmd.settings": "Время дайджеста, часовой пояс, рабочие дни",
    "cmd.lang": "Язык интерфейса",
    "cmd.cancel": "Отменить текущее действие",
    "cmd.help": "Что умеет бот и все команды",
}

EN = {
    "cmd.new": "New deal",
    "cmd.today": "Deals due today",
    "cmd.overdue": "Overdue deals",
    "cmd.nonext": "Deals without a next step",
    "cmd.mydeals": "My deals",
    "cmd.week": "Deals of the coming 7 days",
    "cmd.away": "Out of office",
    "cmd.find": "Search by e-mail, phone, name",
    "cmd.stats": "Stats and plan",
    "cmd.report": "Period report: funnel, sources, managers",
    "cmd.settings": "Digest time, time zone, work days",
    "cmd.lang": "Interface language",
    "cmd.cancel": "Cancel the current action",
    "cmd.help": "What the bot does, all commands",
}
