"""Texts of proactive messages: the morning digest, timed reminders, follow-ups, escalations,
snooze, and the admin's notice about people the bot cannot reach."""

RU = {
    "rem.digest_title": "☀️ <b>План на {day}</b>",
    "rem.digest_counts": (
        "Сегодня: {today:count:сделка|сделки|сделок} · просрочено: "
        "{overdue:count:сделка|сделки|сделок}"
    ),
    "rem.section_overdue": "🔥 <b>Просрочено</b>",
    "rem.section_today": "📅 <b>Сегодня</b>",
    "rem.line_overdue": "с {day} ({days:count:день|дня|дней})",
    "rem.more": "…и ещё {count:count:сделка|сделки|сделок}. Все сделки: /today · /overdue",
    "rem.buttons_first": (
        "Кнопки — для первых {count:count:сделки|сделок|сделок}. Все сделки: /today · /overdue"
    ),
    "rem.followup_title": (
        "⚠️ <b>{count:plural:Осталась|Остались|Осталось} "
        "{count:count:просроченная сделка|просроченные сделки|просроченных сделок}</b>"
    ),
    "rem.followup_hint": "Назначьте каждой дату следующего шага.",
    "rem.remind_title": "⏰ <b>Напоминание · {time}</b>",
    "rem.escalate_title": (
        "🚨 <b>Просрочены больше {days:count:дня|дней|дней}: {count:count:сделка|сделки|сделок}</b>"
    ),
    "rem.escalate_line": "{owner} · с {day} ({late:count:день|дня|дней})",
    "rem.escalate_more": "…и ещё {count:count:сделка|сделки|сделок}.",
    "rem.btn_done": "✅ Готово",
    "rem.btn_snooze": "⏰ Отложить",
    "rem.btn_stage": "🔀 Этап",
    "rem.btn_open": "📂 Открыть",
    "rem.snooze_title": "⏰ Отложить <b>#{deal_id} · {title}</b>?",
    "rem.snooze_now": "Сейчас: {when}",
    "rem.snooze_hour": "+1 час",
    "rem.snooze_tomorrow": "Завтра",
    "rem.snooze_day": "На {day}",
    "rem.snooze_pick": "📅 Выбрать дату",
    "rem.snooze_cancel": "✖ Отмена",
    "rem.snooze_cancelled": "Оставили как было.",
    "rem.snoozed": "⏰ <b>#{deal_id} · {title}</b>\nСледующий шаг: {when}",
    "rem.snoozed_toast": "Перенесено на {when}",
    "rem.snooze_closed": "Сделка закрыта или приостановлена: откладывать нечего.",
    "rem.blocked_notice": (
        "⚠️ {name} (Telegram id {telegram_id}) заблокировал(а) бота или ещё не запускал(а) "
        "его: напоминания не доставляются. Они возобновятся, когда человек напишет боту."
    ),
}

EN = {
    "rem.digest_title": "☀️ <b>Plan for {day}</b>",
    "rem.digest_counts": "Today: {today:count:deal|deals} · overdue: {overdue:count:deal|deals}",
    "rem.section_overdue": "🔥 <b>Overdue</b>",
    "rem.section_today": "📅 <b>Today</b>",
    "rem.line_overdue": "since {day} ({days:count:day|days})",
    "rem.more": "…and {count} more {count:plural:deal|deals}. All deals: /today · /overdue",
    "rem.buttons_first": (
        "Buttons for the first {count:count:deal|deals}. All deals: /today · /overdue"
    ),
    "rem.followup_title": "⚠️ <b>{count:count:deal is|deals are} still overdue</b>",
    "rem.followup_hint": "Give each of them the date of its next step.",
    "rem.remind_title": "⏰ <b>Reminder · {time}</b>",
    "rem.escalate_title": (
        "🚨 <b>Overdue for more than {days:count:day|days}: {count:count:deal|deals}</b>"
    ),
    "rem.escalate_line": "{owner} · since {day} ({late:count:day|days})",
    "rem.escalate_more": "…and {count} more {count:plural:deal|deals}.",
    "rem.btn_done": "✅ Done",
    "rem.btn_snooze": "⏰ Snooze",
    "rem.btn_stage": "🔀 Stage",
    "rem.btn_open": "📂 Open",
    "rem.snooze_title": "⏰ Snooze <b>#{deal_id} · {title}</b>?",
    "rem.snooze_now": "Now: {when}",
    "rem.snooze_hour": "+1 hour",
    "rem.snooze_tomorrow": "Tomorrow",
    "rem.snooze_day": "To {day}",
    "rem.snooze_pick": "📅 Pick a date",
    "rem.snooze_cancel": "✖ Cancel",
    "rem.snooze_cancelled": "Left as it was.",
    "rem.snoozed": "⏰ <b>#{deal_id} · {title}</b>\nNext step: {when}",
    "rem.snoozed_toast": "Moved to {when}",
    "rem.snooze_closed": "The deal is closed or paused: nothing to snooze.",
    "rem.blocked_notice": (
        "⚠️ {name} (Telegram id {telegram_id}) blocked the bot or never started it: reminders "
        "are not delivered. They resume when the person writes to the bot."
    ),
}
