"""Texts of capture: a forwarded message, a shared contact or a typed phone / e-mail outside
any flow, shown with the deals it matches."""

RU = {
    "capture.found": "🔎 {what}: {n:count:сделка|сделки|сделок}.",
    "capture.found_more": "Показаны первые {n}.",
    "capture.none": "🔎 Сделок с {what} не нашлось.",
    "capture.none_plain": "🔎 Контактов в сообщении нет.",
    "capture.forwarded": "✉️ Пересланное сообщение от {date} можно сохранить заметкой.",
    "capture.forwarded_new": "✉️ Текст сообщения станет заметкой 01 с датой {date}.",
    "capture.how_existing": (
        "Чтобы добавить его в другую сделку: «📝 Заметка» в её карточке, затем перешлите "
        "сообщение ещё раз."
    ),
    "capture.offer_new": "Создать новую сделку с этими данными?",
    "capture.btn_note": "📝 В заметку #{id}",
    "capture.btn_open": "📂 Открыть #{id}",
    "capture.btn_new": "➕ Новая сделка",
    "capture.btn_cancel": "✖️ Отмена",
    "capture.noted": "✅ Добавлено заметкой {number} в сделку #{id}.",
    "capture.cancelled": "Хорошо, ничего не сохранено.",
    "capture.stale": "Эта кнопка устарела: перешлите сообщение ещё раз.",
}

EN = {
    "capture.found": "🔎 {what}: {n:count:deal|deals}.",
    "capture.found_more": "The first {n} shown.",
    "capture.none": "🔎 No deal with {what}.",
    "capture.none_plain": "🔎 No contacts in the message.",
    "capture.forwarded": "✉️ The forwarded message of {date} can be saved as a note.",
    "capture.forwarded_new": "✉️ The message's text becomes note 01 dated {date}.",
    "capture.how_existing": (
        "To add it to another deal: “📝 Note” on its card, then forward the message again."
    ),
    "capture.offer_new": "Create a new deal with these details?",
    "capture.btn_note": "📝 As a note to #{id}",
    "capture.btn_open": "📂 Open #{id}",
    "capture.btn_new": "➕ New deal",
    "capture.btn_cancel": "✖️ Cancel",
    "capture.noted": "✅ Added as note {number} to deal #{id}.",
    "capture.cancelled": "All right, nothing saved.",
    "capture.stale": "This button is out of date: forward the message again.",
}
