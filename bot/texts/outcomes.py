"""Texts of one-tap outcomes, the "no next step" list, the evening nudge and pauses."""

RU = {
    "oc.btn_no_answer": "☎ → завтра",
    "oc.btn_plus1": "+1д",
    "oc.btn_plus3": "+3д",
    "oc.btn_week": "нед.",
    "oc.btn_rest": "⏭ Остальные → на завтра",
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
