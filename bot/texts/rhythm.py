"""Texts of the daily rhythm: stale deals and their limits, early reminders, the week view,
out of office."""

RU = {
    # -- stale deals
    "stale.mark": "💤 {days:count:день|дня|дней} без контакта",
    "stale.digest_title": (
        "💤 <b>{count:count:застоявшаяся сделка|застоявшиеся сделки|застоявшихся сделок}</b>"
        " — давно не было заметки или смены этапа"
    ),
    "stale.more": "…и ещё {count:count:сделка|сделки|сделок}.",
    "stale.summary_title": (
        "💤 <b>В команде {count:count:застоявшаяся сделка|застоявшиеся сделки|"
        "застоявшихся сделок}</b>"
    ),
    "stale.summary_line": "• <b>#{deal_id}</b> {title} — {owner} · {mark}",
    "stale.title": (
        "💤 <b>Сроки без контакта</b>\n"
        "Открытая сделка становится застоявшейся, если заметки или смены этапа не было "
        "дольше срока её этапа. Выберите этап, чтобы изменить срок."
    ),
    "stale.row_days": "{stage}: {days:count:день|дня|дней}",
    "stale.row_off": "{stage}: выключено",
    "stale.current_days": "{days:count:день|дня|дней}",
    "stale.current_off": "выключено",
    "stale.ask": ("Этап «{stage}»: сейчас {current}.\nНапишите число дней от 1 до 365 или «выкл»."),
    "stale.saved": "Сохранено: «{stage}» — {current}.",
    "stale.bad_limit": (
        "«{text}» не подходит: нужно целое число дней от 1 до 365 или «выкл». Ничего не изменилось."
    ),
    "stale.admins_only": "Сроки без контакта меняет только администратор.",
    "stale.btn_off": "🚫 Выключить",
    "stale.btn_settings": "💤 Сроки без контакта",
    # -- early reminders
    "early.title": (
        "⏰ <b>Напоминать заранее</b>\n"
        "Кроме напоминания в само время шага, бот напомнит заранее — для шагов со временем. "
        "Сейчас: {current}."
    ),
    "early.off": "выключено",
    "early.minutes": "за {minutes:count:минуту|минуты|минут}",
    "early.btn_off": "Выключить",
    "early.btn_minutes": "За {minutes:count:минуту|минуты|минут}",
    "early.saved": "Сохранено: напоминать заранее — {current}.",
    "early.bad_choice": "Такого варианта нет. Выберите кнопкой.",
    "early.settings_line": "⏰ Напоминать заранее: {current}",
    "early.btn_settings": "⏰ Заранее",
    "early.remind_title": "⏰ <b>Через {minutes:count:минуту|минуты|минут} · {time}</b>",
    # -- week view
    "week.title": "🗓 <b>Неделя: {start} — {end}</b>",
    "week.day": "<b>{day}</b> — {count:count:сделка|сделки|сделок}",
    "week.day_empty": "<b>{day}</b> — сделок нет",
    "week.total": "Всего за неделю {count:count:сделка|сделки|сделок}.",
    "week.empty": "🗓 На ближайшие 7 дней ({start} — {end}) сделок нет.",
    "week.buttons_first": "Кнопки — для первых {count:count:сделки|сделок|сделок}.",
    "week.btn": "🗓 Неделя",
    "week.btn_refresh": "🔄 Обновить",
    # -- out of office
    "away.ask_day": (
        "🏝 <b>Отсутствие</b>\n"
        "До какого дня включительно вас не будет? Выберите или напишите дату "
        "(например, 15.12). Пока вас нет, дайджесты и напоминания на паузе, а просроченные "
        "сделки сразу уходят руководителю."
    ),
    "away.past": "{day} — это не будущий день. Выберите дату после сегодняшней.",
    "away.too_far": "Не дальше чем на год вперёд. Выберите дату раньше.",
    "away.bad_date": "«{text}» — не похоже на дату. Напишите, например, 15.12 или 2026-12-15.",
    "away.ask_substitute": (
        "До {day} включительно. Кто из коллег будет получать ваши сделки на день в своём "
        "утреннем дайджесте?"
    ),
    "away.btn_nobody": "Никто",
    "away.btn_off": "✅ Закончить отсутствие",
    "away.btn_change": "📅 Изменить дату",
    "away.btn_cancel": "✖ Отмена",
    "away.set": (
        "🏝 Вы отсутствуете до {day} включительно. Дайджесты и напоминания на паузе, "
        "просроченные сделки сразу уходят руководителю. Закончить раньше: /away off"
    ),
    "away.set_substitute": "Ваши сделки на день получает: {name}.",
    "away.status": "🏝 Вы отсутствуете до {day} включительно.",
    "away.off_done": (
        "С возвращением! Отсутствие закончено: дайджесты и напоминания снова приходят."
    ),
    "away.not_away": "Отсутствие не задано — ничего не изменилось.",
    "away.bad_substitute": "Замещать может только активный коллега из вашей команды.",
    "away.cancelled": "Отменено, ничего не изменилось.",
    "away.cover_title": (
        "🤝 <b>Замещение: {name}</b>\n{count:count:сделка|сделки|сделок} на {day}"
    ),
    "away.cover_hint": "Сделки остаются у владельца; позвоните клиентам по этим номерам.",
    "away.escalate_title": (
        "🏝 <b>Отсутствует до {day}: {name}</b>\n"
        "{count:count:просроченная сделка|просроченные сделки|просроченных сделок}:"
    ),
    "away.escalate_line": "{n}. <b>#{deal_id}</b> {title} · с {day}",
    "away.summary_title": "🏝 <b>Отсутствуют</b>",
    "away.summary_line": "• {name} — до {day}",
    "away.summary_substitute": " (замещает: {name})",
}

EN = {
    # -- stale deals
    "stale.mark": "💤 {days:count:day|days} without contact",
    "stale.digest_title": (
        "💤 <b>{count:count:stale deal|stale deals}</b> — no note or stage move for long"
    ),
    "stale.more": "…and {count:count:more deal|more deals}.",
    "stale.summary_title": "💤 <b>{count:count:stale deal|stale deals} in the team</b>",
    "stale.summary_line": "• <b>#{deal_id}</b> {title} — {owner} · {mark}",
    "stale.title": (
        "💤 <b>Days without contact</b>\n"
        "An open deal becomes stale when it had no note or stage move for longer than its "
        "stage allows. Pick a stage to change its limit."
    ),
    "stale.row_days": "{stage}: {days:count:day|days}",
    "stale.row_off": "{stage}: off",
    "stale.current_days": "{days:count:day|days}",
    "stale.current_off": "off",
    "stale.ask": "Stage “{stage}”: now {current}.\nType a number of days from 1 to 365, or “off”.",
    "stale.saved": "Saved: “{stage}” — {current}.",
    "stale.bad_limit": (
        "“{text}” won't do: a whole number of days from 1 to 365, or “off”. Nothing changed."
    ),
    "stale.admins_only": "Only an admin changes the days without contact.",
    "stale.btn_off": "🚫 Switch off",
    "stale.btn_settings": "💤 Days without contact",
    # -- early reminders
    "early.title": (
        "⏰ <b>Remind in advance</b>\n"
        "Besides the reminder at the step's time, the bot reminds you in advance — for "
        "steps with a time. Now: {current}."
    ),
    "early.off": "off",
    "early.minutes": "{minutes:count:minute|minutes} before",
    "early.btn_off": "Off",
    "early.btn_minutes": "{minutes:count:minute|minutes} before",
    "early.saved": "Saved: remind in advance — {current}.",
    "early.bad_choice": "There is no such choice. Please use a button.",
    "early.settings_line": "⏰ Remind in advance: {current}",
    "early.btn_settings": "⏰ In advance",
    "early.remind_title": "⏰ <b>In {minutes:count:minute|minutes} · {time}</b>",
    # -- week view
    "week.title": "🗓 <b>Week: {start} — {end}</b>",
    "week.day": "<b>{day}</b> — {count:count:deal|deals}",
    "week.day_empty": "<b>{day}</b> — no deals",
    "week.total": "{count:count:deal|deals} this week.",
    "week.empty": "🗓 No deals in the coming 7 days ({start} — {end}).",
    "week.buttons_first": "Buttons for the first {count:count:deal|deals}.",
    "week.btn": "🗓 Week",
    "week.btn_refresh": "🔄 Refresh",
    # -- out of office
    "away.ask_day": (
        "🏝 <b>Out of office</b>\n"
        "Until which day (inclusive) will you be away? Pick or type a date (e.g. 15.12). "
        "While you are away, digests and reminders pause and overdue deals go to your lead "
        "at once."
    ),
    "away.past": "{day} is not a future day. Pick a date after today.",
    "away.too_far": "At most a year ahead. Pick an earlier date.",
    "away.bad_date": "“{text}” does not look like a date. Type e.g. 15.12 or 2026-12-15.",
    "away.ask_substitute": (
        "Until {day} inclusive. Which colleague gets your deals of the day in their morning digest?"
    ),
    "away.btn_nobody": "Nobody",
    "away.btn_off": "✅ End the absence",
    "away.btn_change": "📅 Change the date",
    "away.btn_cancel": "✖ Cancel",
    "away.set": (
        "🏝 You are away until {day} inclusive. Digests and reminders pause, overdue deals "
        "go to your lead at once. To end it early: /away off"
    ),
    "away.set_substitute": "Your deals of the day go to: {name}.",
    "away.status": "🏝 You are away until {day} inclusive.",
    "away.off_done": "Welcome back! The absence is over: digests and reminders come again.",
    "away.not_away": "No absence is set — nothing changed.",
    "away.bad_substitute": "Only an active colleague of your team can cover for you.",
    "away.cancelled": "Cancelled, nothing changed.",
    "away.cover_title": "🤝 <b>Covering for: {name}</b>\n{count:count:deal|deals} of {day}",
    "away.cover_hint": "The deals stay with their owner; call the clients on these numbers.",
    "away.escalate_title": (
        "🏝 <b>Away until {day}: {name}</b>\n{count:count:overdue deal|overdue deals}:"
    ),
    "away.escalate_line": "{n}. <b>#{deal_id}</b> {title} · since {day}",
    "away.summary_title": "🏝 <b>Away</b>",
    "away.summary_line": "• {name} — until {day}",
    "away.summary_substitute": " (covered by: {name})",
}
