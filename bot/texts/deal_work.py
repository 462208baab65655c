"""Texts of working on a deal from its card: notes, stages, the next-step date."""

RU = {
    # notes
    "work.note_prompt": (
        "📝 <b>Новая заметка.</b> Пришлите её текст следующим сообщением: письмо, протокол "
        "звонка или встречи. /cancel — отмена."
    ),
    "work.note_saved": "✅ Заметка {number} сохранена · дата: {date}.",
    "work.note_date_title": "🗓 Когда были звонок или письмо заметки {number}? Сейчас: {date}.",
    "work.note_date_prompt": "⌨️ Напишите дату заметки {number}, например 25.11 или 25.11.2026.",
    "work.note_date_set": "Дата заметки {number}: {date}.",
    "work.note_usage": (
        "Заметка к сделке: <code>/note 123 текст заметки</code>\n"
        "Или ответьте (reply) текстом на карточку сделки."
    ),
    "work.text_only": "Пришлите текст сообщением. /cancel — отмена.",
    "work.btn_note_date": "🗓 Дата заметки: {date}",
    "work.btn_today": "Сегодня",
    "work.btn_yesterday": "Вчера",
    "work.btn_days_ago_2": "Позавчера",
    "work.btn_type_date": "⌨️ Ввести дату",
    "note.empty": "Пустую заметку сохранить нельзя. Напишите текст.",
    "note.gone": "Этой заметки больше нет.",
    "note.date_future": "Дата заметки не может быть в будущем.",
    "note.date_too_old": "Слишком давняя дата. Проверьте год.",
    # next step
    "work.ask_next": "📅 <b>Когда следующий шаг?</b> Выберите дату или напишите её (30.11).",
    "work.next_current": "Сейчас: {current}.",
    "work.ask_time": (
        "⏰ Следующий шаг: {date}. <b>Во сколько?</b> Выберите время или напишите его (14:30)."
    ),
    "work.next_saved": "✅ Следующий шаг: {when}.",
    "work.next_closed_picker": "Дата следующего шага не изменена.",
    "work.bad_date": "Не понял дату. Напишите, например, 30.11 или 30.11.2026. /cancel — отмена.",
    "work.bad_time": "Не понял время. Напишите, например, 14:30. /cancel — отмена.",
    "work.btn_not_now": "Не сейчас",
    "work.btn_with_time": "⏰ Время",
    "work.ask_next_timed": "⏰ Выберите день, затем время.",
    "work.btn_done": "✔ Готово",
    "work.btn_other_date": "« Другая дата",
    "next.not_open": (
        "Сделка закрыта или приостановлена — следующий шаг не нужен. "
        "Чтобы назначить дату, верните её в работу (кнопка «Этап»)."
    ),
    "next.time_past": "Это время сегодня уже прошло. Выберите более позднее.",
    # stages
    "work.stage_title": "🔀 <b>Выберите этап.</b> Сейчас: {stage}.",
    "work.stage_same": "Сделка уже на этом этапе.",
    "work.stage_moved": "✅ Этап: {old} → {new}.",
    "work.reason_lost": "🚫 <b>Почему сделка проиграна?</b> Выберите причину или «Другое».",
    "work.reason_paused": "⏸ <b>Почему сделка приостановлена?</b> Выберите причину или «Другое».",
    "work.reason_other": "✏️ Другое…",
    "work.reason_prompt": "✏️ Напишите причину (до 500 символов).",
    "work.reason.price": "Дорого",
    "work.reason.competitor": "Выбрали конкурента",
    "work.reason.no_need": "Нет потребности",
    "work.reason.no_answer": "Не выходит на связь",
    "work.reason.timing": "Не подошли сроки",
    "work.reason.client_busy": "Клиент занят",
    "work.reason.budget_later": "Бюджет появится позже",
    "work.reason.waiting_decision": "Ждём решения клиента",
    "work.won_amount": "🏆 <b>Сделка выиграна!</b> Сумма: {amount}. Верно?",
    "work.won_no_amount": (
        "🏆 <b>Сделка выиграна!</b> Сумма не указана: укажите её или подтвердите без суммы."
    ),
    "work.amount_prompt": "✏️ Напишите сумму сделки, например 150000 или 150 000,50.",
    "work.bad_amount": "Не понял сумму. Напишите число, например 150000. /cancel — отмена.",
    "work.btn_confirm": "✅ Подтвердить",
    "work.btn_change_amount": "✏️ Изменить сумму",
    "stage.gone": "Этого этапа больше нет. Откройте список этапов заново.",
    "stage.reason_required": "Укажите причину.",
}

EN = {
    # notes
    "work.note_prompt": (
        "📝 <b>New note.</b> Send its text as the next message: a letter, the protocol of a "
        "call or a meeting. /cancel to stop."
    ),
    "work.note_saved": "✅ Note {number} saved · date: {date}.",
    "work.note_date_title": "🗓 When did the call or letter of note {number} happen? Now: {date}.",
    "work.note_date_prompt": "⌨️ Type the date of note {number}, e.g. 25.11 or 25.11.2026.",
    "work.note_date_set": "Date of note {number}: {date}.",
    "work.note_usage": (
        "A note to a deal: <code>/note 123 the text of the note</code>\n"
        "Or reply to the deal card with the text."
    ),
    "work.text_only": "Please send text. /cancel to stop.",
    "work.btn_note_date": "🗓 Note date: {date}",
    "work.btn_today": "Today",
    "work.btn_yesterday": "Yesterday",
    "work.btn_days_ago_2": "2 days ago",
    "work.btn_type_date": "⌨️ Type a date",
    "note.empty": "An empty note can't be saved. Please write the text.",
    "note.gone": "This note no longer exists.",
    "note.date_future": "A note's date can't be in the future.",
    "note.date_too_old": "That date is too long ago. Check the year.",
    # next step
    "work.ask_next": "📅 <b>When is the next step?</b> Pick a date or type it (30.11).",
    "work.next_current": "Now: {current}.",
    "work.ask_time": ("⏰ Next step: {date}. <b>At what time?</b> Pick a time or type it (14:30)."),
    "work.next_saved": "✅ Next step: {when}.",
    "work.next_closed_picker": "The next step date was not changed.",
    "work.bad_date": "Could not read the date. Type e.g. 30.11 or 30.11.2026. /cancel to stop.",
    "work.bad_time": "Could not read the time. Type e.g. 14:30. /cancel to stop.",
    "work.btn_not_now": "Not now",
    "work.btn_with_time": "⏰ Time",
    "work.ask_next_timed": "⏰ Pick the day, then the time.",
    "work.btn_done": "✔ Done",
    "work.btn_other_date": "« Another date",
    "next.not_open": (
        "The deal is closed or paused, so it needs no next step. "
        "To set a date, put it back to work first (the Stage button)."
    ),
    "next.time_past": "This time has already passed today. Choose a later one.",
    # stages
    "work.stage_title": "🔀 <b>Choose the stage.</b> Now: {stage}.",
    "work.stage_same": "The deal is already at this stage.",
    "work.stage_moved": "✅ Stage: {old} → {new}.",
    "work.reason_lost": "🚫 <b>Why was the deal lost?</b> Choose a reason or “Other”.",
    "work.reason_paused": "⏸ <b>Why is the deal paused?</b> Choose a reason or “Other”.",
    "work.reason_other": "✏️ Other…",
    "work.reason_prompt": "✏️ Type the reason (up to 500 characters).",
    "work.reason.price": "Too expensive",
    "work.reason.competitor": "Chose a competitor",
    "work.reason.no_need": "No need",
    "work.reason.no_answer": "Does not answer",
    "work.reason.timing": "Timing did not fit",
    "work.reason.client_busy": "Client is busy",
    "work.reason.budget_later": "Budget comes later",
    "work.reason.waiting_decision": "Waiting for the client's decision",
    "work.won_amount": "🏆 <b>The deal is won!</b> Amount: {amount}. Is that right?",
    "work.won_no_amount": (
        "🏆 <b>The deal is won!</b> No amount is set: give it or confirm without an amount."
    ),
    "work.amount_prompt": "✏️ Type the deal amount, e.g. 150000 or 150 000.50.",
    "work.bad_amount": "Could not read the amount. Type a number, e.g. 150000. /cancel to stop.",
    "work.btn_confirm": "✅ Confirm",
    "work.btn_change_amount": "✏️ Change amount",
    "stage.gone": "This stage no longer exists. Open the list of stages again.",
    "stage.reason_required": "Please give a reason.",
}
