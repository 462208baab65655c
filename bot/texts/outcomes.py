"""Texts of one-tap outcomes, the "no next step" list, the evening nudge and pauses."""

RU = {
    "oc.btn_no_answer": "☎ → завтра",
    "oc.btn_plus1": "+1д",
    "oc.btn_plus3": "+3д",
    "oc.btn_week": "нед.",
    "oc.btn_rest": "⏭ Остальные → на завтра",
    "oc.btn_back_today": "‹ К списку «Сегодня»",
    "oc.btn_back_overdue": "‹ К списку «Просрочено»",
    "oc.btn_back_digest": "‹ К плану на день",
    "oc.btn_back_no_next": "‹ К списку «Без следующего шага»",
    "oc.btn_rest_yes": "✅ Да, перенести",
    "oc.btn_rest_no": "« Нет",
    "oc.btn_no_next": "❓ Без следующего шага: {count}",
    "oc.no_answer_note": "☎ Нет ответа",
    "oc.moved": "#{deal_id} → {when}",
    "oc.stale": "Эта строка устарела: сделка уже изменилась. Список обновлён.",
    "oc.gone": "Этой сделки здесь больше нет (удалена или передана). Список обновлён.",
    "oc.rest_confirm": (
        "⏭ Перенести на завтра {count:count:сделку|сделки|сделок}? У каждой останется запись"
        " в истории."
    ),
    "oc.rest_ids": "🗂 {ids}",
    "oc.rest_done": "Перенесено на завтра: {count:count:сделка|сделки|сделок}.",
    "oc.rest_nothing": "Переносить нечего: эти сделки уже перенесены.",
    "oc.all_done": "✅ На сегодня всё разобрано. Просроченных нет.",
    "oc.no_next_title": (
        "❓ <b>Без следующего шага</b> · {total:count:сделка|сделки|сделок}\n"
        "Назначьте каждой дату: «+1д», «+3д» или 📅."
    ),
    "oc.no_next_empty": "У всех сделок в работе есть следующий шаг 👍",
    "oc.not_now_notice": (
        "Сделка без следующего шага: она в списке «❓ Без следующего шага» (/nonext),"
        " напомню вечером."
    ),
    "oc.digest_no_next": "❓ Без следующего шага: {count:count:сделка|сделки|сделок} — /nonext",
    "oc.nudge": (
        "🌆 <b>Вечерняя проверка.</b> У {count:count:сделки|сделок|сделок} нет следующего шага."
        " Назначьте даты, чтобы ни одна не потерялась."
    ),
}

EN = {
    "oc.btn_no_answer": "☎ → tmrw",
    "oc.btn_plus1": "+1d",
    "oc.btn_plus3": "+3d",
    "oc.btn_week": "wk",
    "oc.btn_rest": "⏭ The rest → tomorrow",
    "oc.btn_back_today": "‹ Back to Today",
    "oc.btn_back_overdue": "‹ Back to Overdue",
    "oc.btn_back_digest": "‹ Back to the day's plan",
    "oc.btn_back_no_next": "‹ Back to No next step",
    "oc.btn_rest_yes": "✅ Yes, move",
    "oc.btn_rest_no": "« No",
    "oc.btn_no_next": "❓ No next step: {count}",
    "oc.no_answer_note": "☎ No answer",
    "oc.moved": "#{deal_id} → {when}",
    "oc.stale": "This row is out of date: the deal has changed. The list is refreshed.",
    "oc.gone": "This deal is no longer here (deleted or handed over). The list is refreshed.",
    "oc.rest_confirm": (
        "⏭ Move {count:count:deal|deals} to tomorrow? Each keeps a record in its history."
    ),
    "oc.rest_ids": "🗂 {ids}",
    "oc.rest_done": "Moved to tomorrow: {count:count:deal|deals}.",
    "oc.rest_nothing": "Nothing to move: these deals were moved already.",
    "oc.all_done": "✅ All done for today. Nothing overdue.",
    "oc.no_next_title": (
        "❓ <b>No next step</b> · {total:count:deal|deals}\nGive each a date: “+1d”, “+3d” or 📅."
    ),
    "oc.no_next_empty": "Every deal in work has a next step 👍",
    "oc.not_now_notice": (
        "The deal has no next step: it is on the “❓ No next step” list (/nonext);"
        " I'll remind you in the evening."
    ),
    "oc.digest_no_next": "❓ No next step: {count:count:deal|deals} — /nonext",
    "oc.nudge": (
        "🌆 <b>Evening check.</b> {count:count:deal has|deals have} no next step."
        " Give them dates so none gets lost."
    ),
}

RU.update(
    {
        "pause.ask_until": (
            "⏸ <b>До какого числа пауза?</b> В этот день сделка вернётся в «Сегодня»."
        ),
        "pause.btn_week": "1 неделя",
        "pause.btn_2weeks": "2 недели",
        "pause.btn_month": "1 месяц",
        "pause.btn_calendar": "📅 Календарь",
        "pause.btn_later": "Без даты",
        "pause.until_set": "⏸ Пауза до {date}: в этот день сделка вернётся в «Сегодня».",
        "pause.later": "⏸ Пауза без даты возврата: сделка в списке «❓ Без следующего шага».",
        "pause.not_paused": "Сделка не на паузе: дата возврата ей не нужна.",
        "pause.past": "Дата возврата должна быть позже сегодняшнего дня.",
        "pause.too_far": "Слишком далеко: пауза — не больше двух лет.",
        "pause.no_open_stage": "В воронке сделки нет открытого этапа, вернуть её в работу нельзя.",
        "pause.resumed": (
            "▶️ Пауза закончилась: <b>#{deal_id}</b> {title} снова в работе и в списке"
            " «Сегодня». Что дальше?"
        ),
        "pause.btn_open": "📂 Открыть",
        "pause.stats_none": "⏸ На паузе: нет",
        "pause.stats": "⏸ На паузе: {count:count:сделка|сделки|сделок}",
        "pause.stats_longest": (
            "⏸ На паузе: {count:count:сделка|сделки|сделок}, дольше всех #{deal_id}:"
            " {days:count:день|дня|дней}"
        ),
        "oc.team_no_next": "❓ Без следующего шага в команде: {count:count:сделка|сделки|сделок}",
    }
)
EN.update(
    {
        "pause.ask_until": "⏸ <b>Paused until when?</b> On that day the deal comes back to Today.",
        "pause.btn_week": "1 week",
        "pause.btn_2weeks": "2 weeks",
        "pause.btn_month": "1 month",
        "pause.btn_calendar": "📅 Calendar",
        "pause.btn_later": "No date",
        "pause.until_set": "⏸ Paused until {date}: on that day the deal comes back to Today.",
        "pause.later": "⏸ Paused with no return date: the deal is on the “❓ No next step” list.",
        "pause.not_paused": "The deal is not paused: it needs no return date.",
        "pause.past": "The return date must be after today.",
        "pause.too_far": "Too far: a pause lasts two years at most.",
        "pause.no_open_stage": "The deal's pipeline has no open stage to return it to.",
        "pause.resumed": (
            "▶️ The pause is over: <b>#{deal_id}</b> {title} is back to work and on the Today"
            " list. What next?"
        ),
        "pause.btn_open": "📂 Open",
        "pause.stats_none": "⏸ Paused: none",
        "pause.stats": "⏸ Paused: {count:count:deal|deals}",
        "pause.stats_longest": (
            "⏸ Paused: {count:count:deal|deals}, the longest #{deal_id}: {days:count:day|days}"
        ),
        "oc.team_no_next": "❓ No next step in the team: {count:count:deal|deals}",
    }
)
