"""Texts of /help and of an unknown command. One key per role: a new command adds its line
to the roles that may use it."""

RU = {
    "help.intro": (
        "ℹ️ <b>dealbot</b> — CRM в Telegram: сделки, заметки после звонков, этапы воронки и "
        "дата следующего шага у каждой сделки. Утром бот присылает дайджест: что сегодня и "
        "что просрочено.\nВаша роль: <b>{role}</b>."
    ),
    "help.role.manager": (
        "<b>Ваши сделки</b>\n"
        "/new — новая сделка (пошагово или одной строкой: /new Иван, ivan@firm.ru, +7 999 …)\n"
        "/today — на сегодня · /overdue — просроченные · /mydeals — все мои\n"
        "/deleted — недавно удалённые (можно вернуть)\n"
        "/find текст — поиск по e-mail, телефону, имени, компании\n"
        "/deal 123 — открыть карточку · /note 123 текст — заметка к сделке\n"
        "/stats — ваша статистика и план\n"
        "/report — отчёт за период: воронка, источники, ваши показатели"
    ),
    "help.role.lead": (
        "<b>Сделки команды</b>\n"
        "/new — новая сделка (себе или менеджеру команды)\n"
        "/today · /overdue · /mydeals — списки, с фильтром по менеджеру\n"
        "/deleted — недавно удалённые\n"
        "/find текст — поиск · /deal 123 — карточка · /note 123 текст — заметка\n"
        "В карточке: «Передать» — сменить ответственного\n"
        "<b>Команда</b>\n"
        "/stats — статистика команды · /plan — план менеджера на месяц\n"
        "/report — отчёт за период: воронка, источники, менеджеры, графики\n"
        "/invite — пригласить менеджера или оператора\n"
        "/people — люди команды: активность, отключить, передать сделки\n"
        "/bindteam — в группе команды: заявки с сайта и выигранные сделки туда\n"
        "Каждый день — сводка команды (время — в /settings)"
    ),
    "help.role.operator": (
        "<b>Ввод сделок</b>\n"
        "/new — новая сделка и её ответственный\n"
        "/today · /overdue · /mydeals — сделки, которые вы завели\n"
        "/find текст — поиск · /deal 123 — карточка · /note 123 текст — заметка\n"
        "/deleted — недавно удалённые"
    ),
    "help.role.admin": (
        "<b>Все сделки</b>\n"
        "/new — новая сделка любому менеджеру\n"
        "/today · /overdue · /mydeals · /deleted — списки, с фильтром по менеджеру\n"
        "/find текст — поиск · /deal 123 — карточка · /note 123 текст — заметка\n"
        "В карточке: «Передать» и удаление навсегда из корзины\n"
        "<b>Компания</b>\n"
        "/stats — статистика всех команд · /plan — планы менеджеров\n"
        "/report — отчёт за период по любой команде или всей компании\n"
        "/invite [manager|lead|operator] — пригласить человека\n"
        "/people — люди: роль, команда, отключить, передать сделки\n"
        "/stale — сроки «без контакта» по этапам\n"
        "/forms · /newform — веб-формы сайта (заявки в CRM)"
    ),
    "help.everybody": (
        "<b>Для всех</b>\n"
        "/settings — время дайджеста, часовой пояс, рабочие дни · /profile — имя, e-mail\n"
        "/week — сделки на неделю · /away — отсутствую до даты (дайджесты на паузе)\n"
        "/lang — язык · /menu — меню · /cancel — отменить текущее действие · /help — эта "
        "справка\n"
        "Бот работает в личном чате: в группах он не показывает сделки."
    ),
    "help.unknown_command": "Такой команды нет: /{name}. Список команд — /help.",
}

EN = {
    "help.intro": (
        "ℹ️ <b>dealbot</b> is a CRM inside Telegram: deals, notes after calls, pipeline stages "
        "and the date of every deal's next step. Each morning it sends a digest of what is due "
        "today and what is overdue.\nYour role: <b>{role}</b>."
    ),
    "help.role.manager": (
        "<b>Your deals</b>\n"
        "/new — a new deal (step by step, or one line: /new Ivan, ivan@firm.com, +7 999 …)\n"
        "/today — due today · /overdue — overdue · /mydeals — all mine\n"
        "/deleted — recently deleted (can be restored)\n"
        "/find text — search by e-mail, phone, name, company\n"
        "/deal 123 — open a card · /note 123 text — add a note\n"
        "/stats — your stats and plan\n"
        "/report — period report: funnel, sources, your figures"
    ),
    "help.role.lead": (
        "<b>Your team's deals</b>\n"
        "/new — a new deal (yours or a team manager's)\n"
        "/today · /overdue · /mydeals — lists, filtered by manager\n"
        "/deleted — recently deleted\n"
        "/find text — search · /deal 123 — a card · /note 123 text — a note\n"
        "On a card: “Reassign” hands the deal to another owner\n"
        "<b>Team</b>\n"
        "/stats — team stats · /plan — a manager's monthly plan\n"
        "/report — period report: funnel, sources, managers, charts\n"
        "/invite — invite a manager or an operator\n"
        "/people — your team: activity, deactivate, hand deals over\n"
        "/bindteam — in the team's group: web requests and won deals posted there\n"
        "A team summary every day (its time: /settings)"
    ),
    "help.role.operator": (
        "<b>Entering deals</b>\n"
        "/new — a new deal and its owner\n"
        "/today · /overdue · /mydeals — the deals you entered\n"
        "/find text — search · /deal 123 — a card · /note 123 text — a note\n"
        "/deleted — recently deleted"
    ),
    "help.role.admin": (
        "<b>All deals</b>\n"
        "/new — a new deal for any manager\n"
        "/today · /overdue · /mydeals · /deleted — lists, filtered by manager\n"
        "/find text — search · /deal 123 — a card · /note 123 text — a note\n"
        "On a card: “Reassign”, and deleting forever from the trash\n"
        "<b>Company</b>\n"
        "/stats — stats of all teams · /plan — managers' plans\n"
        "/report — period report of any team or the whole company\n"
        "/invite [manager|lead|operator] — invite a person\n"
        "/people — people: role, team, deactivate, hand deals over\n"
        "/stale — \"days without contact\" per stage\n"
        "/forms · /newform — the website's web forms (requests into the CRM)"
    ),
    "help.everybody": (
        "<b>Everybody</b>\n"
        "/settings — digest time, time zone, work days · /profile — name, e-mail\n"
        "/week — the week's deals · /away — away until a date (digests paused)\n"
        "/lang — language · /menu — the menu · /cancel — leave the current step · /help — this "
        "help\n"
        "The bot works in a private chat: it shows no deals in groups."
    ),
    "help.unknown_command": "There is no command /{name}. All commands: /help.",
}
