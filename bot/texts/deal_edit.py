"""Texts of editing a deal, its history, delete / restore and reassigning."""

RU = {
    # -- the field menu and editors --------------------------------------------------------
    "edit.menu": "✏️ <b>Изменить сделку #{id}</b> · {title}\nЧто изменить?",
    "edit.field.title": "Название",
    "edit.field.client": "Клиент",
    "edit.field.company": "Компания",
    "edit.field.contacts": "Контакты",
    "edit.field.contact": "Контакт",
    "edit.field.pipeline": "Воронка",
    "edit.field.stage": "Этап",
    "edit.field.source": "Источник",
    "edit.field.amount": "Сумма",
    "edit.field.reason": "Причина",
    "edit.btn_to_card": "« К карточке",
    "edit.btn_clear": "🧹 Очистить",
    "edit.btn_add_contact": "➕ Добавить контакт",
    "edit.btn_remove_contact": "✖ {value}",
    "edit.btn_no_source": "Без источника",
    "edit.ask_title": "Напишите новое название сделки #{id}.\nСейчас: <b>{current}</b>",
    "edit.ask_client": (
        "Напишите имя клиента (контактного лица) сделки #{id}.\nСейчас: <b>{current}</b>"
    ),
    "edit.ask_company": "Напишите компанию клиента сделки #{id}.\nСейчас: <b>{current}</b>",
    "edit.ask_amount": (
        "Напишите сумму сделки #{id} и, если нужно, валюту: <code>150 000</code>, "
        "<code>2500 USD</code>, <code>1,5 млн руб</code>.\nСейчас: <b>{current}</b>"
    ),
    "edit.pick_pipeline": "Выберите воронку сделки #{id}.\nСейчас: <b>{current}</b>",
    "edit.pick_source": "Выберите источник сделки #{id}.\nСейчас: <b>{current}</b>",
    "edit.contacts": "📇 <b>Контакты сделки #{id}</b> · {title}",
    "edit.contacts_none": "Контактов пока нет.",
    "edit.contacts_hint": "Нажмите ✖, чтобы удалить контакт.",
    "edit.ask_contact": (
        "Пришлите e-mail, телефон или сайт для сделки #{id} — одним сообщением. "
        "Можно поделиться контактом из Telegram."
    ),
    "edit.saved": "✅ Готово: поле «{field}» изменено.",
    "edit.cleared": "✅ Готово: поле «{field}» очищено.",
    "edit.unchanged": "Это значение уже стоит, ничего не изменено.",
    "edit.stage_moved": "Этапа «{old}» нет в новой воронке: сделка перешла на этап «{new}».",
    "edit.contact_added": "✅ Добавлен контакт: {value}",
    "edit.contact_removed": "✅ Удалён контакт: {value}",
    "edit.duplicate": (
        "⚠️ {value} уже есть в открытой сделке #{id} «{title}», ответственный: {owner}."
    ),
    "edit.empty": "Пустое значение не подойдёт. Напишите текст или нажмите «Отмена».",
    "edit.need_text": "Пришлите значение текстом или нажмите «Отмена».",
    "edit.cannot_clear": "Это поле нельзя очистить.",
    "edit.amount_bad": (
        "Не получилось разобрать сумму. Напишите число и, если нужно, валюту: "
        "150 000, 2500 USD, 1,5 млн руб."
    ),
    "edit.contact_bad_email": "«{value}» не похоже на e-mail. Пример: ivan@firm.ru",
    "edit.contact_bad_phone": (
        "Не получилось разобрать телефон «{value}». Пример: +7 999 123-45-67"
    ),
    "edit.contact_bad_url": (
        "«{value}» не похоже ни на e-mail, ни на телефон, ни на сайт. "
        "Примеры: ivan@firm.ru, +7 999 123-45-67, firm.ru"
    ),
    "edit.contact_empty": "Пустой контакт не подойдёт. Пришлите e-mail, телефон или сайт.",
    "edit.contact_too_long": "Слишком длинный контакт: можно не больше 254 символов.",
    "edit.contact_exists": "{value} уже есть в этой сделке.",
    "edit.contacts_full": (
        "У сделки уже {limit:count:контакт|контакта|контактов}. Удалите ненужные, чтобы добавить "
        "новый."
    ),
    "edit.contact_gone": "Этого контакта уже нет.",
    # -- history ---------------------------------------------------------------------------
    "history.title": "🕓 <b>История сделки #{id}</b> · {title}",
    "history.page": "Стр. {page} из {pages} · {total:count:событие|события|событий}",
    "history.empty": "Событий пока нет.",
    "history.system": "система",
    "history.created": "➕ Сделка создана: {title}",
    "history.stage": "🔀 Этап: {old} → {new}",
    "history.next_action": "📅 Следующий шаг: {old} → {new}",
    "history.note": "📝 Заметка {number}",
    "history.note_date": "📝 Заметка {number}: дата {old} → {new}",
    "history.field": "✏️ {field}: {old} → {new}",
    "history.contact_added": "➕ Контакт: {value}",
    "history.contact_removed": "➖ Контакт: {value}",
    "history.owner": "👥 Ответственный: {old} → {new}",
    "history.deleted": "🗑 Сделка удалена",
    "history.restored": "♻️ Сделка восстановлена",
    "history.denied": "⛔ Отказано в доступе",
    # -- delete / restore ------------------------------------------------------------------
    "delete.ask": "🗑 Удалить сделку #{id} «{title}»?\nЕё можно будет восстановить.",
    "delete.btn_yes": "🗑 Да, удалить",
    "delete.done": "Сделка удалена. Её можно восстановить.",
    "delete.restored": "♻️ Сделка восстановлена.",
    "delete.hard_ask": (
        "❌ Удалить сделку #{id} «{title}» навсегда?\n"
        "Вместе с ней удалятся контакты, заметки и вся история. Это нельзя отменить."
    ),
    "delete.hard_ask_again": (
        "⚠️ Точно удалить навсегда сделку #{id} «{title}»? Восстановить её будет невозможно."
    ),
    "delete.btn_hard_yes": "❌ Да, удалить навсегда",
    "delete.btn_hard_final": "❌ Удалить навсегда",
    "delete.hard_done": "❌ Сделка #{id} «{title}» удалена навсегда.",
    "delete.hard_not_allowed": "Удалять сделки навсегда может только администратор.",
    # -- reassign --------------------------------------------------------------------------
    "reassign.ask": "👥 Кому передать сделку #{id} «{title}»?\nСейчас ответственный: {owner}",
    "reassign.nobody": "Передать некому: в команде нет других активных сотрудников.",
    "reassign.me": "{name} (вы)",
    "reassign.not_allowed": "Передавать сделки могут только руководитель и администратор.",
    "reassign.same": "Этот сотрудник уже ответственный.",
    "reassign.done": "✅ Сделка передана: {owner}.",
    "reassign.notify": "👥 Вам передана сделка #{id} «{title}».\nПередал(а): {actor}.",
}

EN = {
    # -- the field menu and editors --------------------------------------------------------
    "edit.menu": "✏️ <b>Edit deal #{id}</b> · {title}\nWhat do you want to change?",
    "edit.field.title": "Title",
    "edit.field.client": "Client",
    "edit.field.company": "Company",
    "edit.field.contacts": "Contacts",
    "edit.field.contact": "Contact",
    "edit.field.pipeline": "Pipeline",
    "edit.field.stage": "Stage",
    "edit.field.source": "Source",
    "edit.field.amount": "Amount",
    "edit.field.reason": "Reason",
    "edit.btn_to_card": "« Back to card",
    "edit.btn_clear": "🧹 Clear",
    "edit.btn_add_contact": "➕ Add a contact",
    "edit.btn_remove_contact": "✖ {value}",
    "edit.btn_no_source": "No source",
    "edit.ask_title": "Write the new title of deal #{id}.\nNow: <b>{current}</b>",
    "edit.ask_client": "Write the client's (contact person's) name for deal #{id}.\n"
    "Now: <b>{current}</b>",
    "edit.ask_company": "Write the client's company for deal #{id}.\nNow: <b>{current}</b>",
    "edit.ask_amount": (
        "Write the amount of deal #{id} and, if needed, the currency: <code>150,000</code>, "
        "<code>2500 USD</code>, <code>1.5m EUR</code>.\nNow: <b>{current}</b>"
    ),
    "edit.pick_pipeline": "Choose the pipeline of deal #{id}.\nNow: <b>{current}</b>",
    "edit.pick_source": "Choose the source of deal #{id}.\nNow: <b>{current}</b>",
    "edit.contacts": "📇 <b>Contacts of deal #{id}</b> · {title}",
    "edit.contacts_none": "No contacts yet.",
    "edit.contacts_hint": "Press ✖ to remove a contact.",
    "edit.ask_contact": (
        "Send an e-mail, a phone or a website for deal #{id}, one per message. "
        "You can also share a Telegram contact."
    ),
    "edit.saved": "✅ Done: “{field}” changed.",
    "edit.cleared": "✅ Done: “{field}” cleared.",
    "edit.unchanged": "That is the current value already; nothing was changed.",
    "edit.stage_moved": "The new pipeline has no stage “{old}”: the deal moved to “{new}”.",
    "edit.contact_added": "✅ Contact added: {value}",
    "edit.contact_removed": "✅ Contact removed: {value}",
    "edit.duplicate": "⚠️ {value} is already in open deal #{id} “{title}”, owner: {owner}.",
    "edit.empty": "An empty value won't do. Write some text or press “Cancel”.",
    "edit.need_text": "Send the value as text or press “Cancel”.",
    "edit.cannot_clear": "This field cannot be cleared.",
    "edit.amount_bad": (
        "Could not read the amount. Write a number and, if needed, the currency: "
        "150,000, 2500 USD, 1.5m EUR."
    ),
    "edit.contact_bad_email": "“{value}” does not look like an e-mail. Example: ivan@firm.com",
    "edit.contact_bad_phone": "Could not read the phone “{value}”. Example: +1 212 555-01-23",
    "edit.contact_bad_url": (
        "“{value}” looks like neither an e-mail nor a phone nor a website. "
        "Examples: ivan@firm.com, +1 212 555-01-23, firm.com"
    ),
    "edit.contact_empty": "An empty contact won't do. Send an e-mail, a phone or a website.",
    "edit.contact_too_long": "The contact is too long: at most 254 characters.",
    "edit.contact_exists": "{value} is already in this deal.",
    "edit.contacts_full": (
        "The deal has {limit:count:contact|contacts} already. Remove some to add a new one."
    ),
    "edit.contact_gone": "This contact is no longer there.",
    # -- history ---------------------------------------------------------------------------
    "history.title": "🕓 <b>History of deal #{id}</b> · {title}",
    "history.page": "Page {page} of {pages} · {total:count:event|events}",
    "history.empty": "No events yet.",
    "history.system": "system",
    "history.created": "➕ Deal created: {title}",
    "history.stage": "🔀 Stage: {old} → {new}",
    "history.next_action": "📅 Next step: {old} → {new}",
    "history.note": "📝 Note {number}",
    "history.note_date": "📝 Note {number}: date {old} → {new}",
    "history.field": "✏️ {field}: {old} → {new}",
    "history.contact_added": "➕ Contact: {value}",
    "history.contact_removed": "➖ Contact: {value}",
    "history.owner": "👥 Owner: {old} → {new}",
    "history.deleted": "🗑 Deal deleted",
    "history.restored": "♻️ Deal restored",
    "history.denied": "⛔ Access denied",
    # -- delete / restore ------------------------------------------------------------------
    "delete.ask": "🗑 Delete deal #{id} “{title}”?\nIt can be restored.",
    "delete.btn_yes": "🗑 Yes, delete",
    "delete.done": "The deal is deleted. It can be restored.",
    "delete.restored": "♻️ The deal is restored.",
    "delete.hard_ask": (
        "❌ Delete deal #{id} “{title}” forever?\n"
        "Its contacts, notes and whole history go with it. This cannot be undone."
    ),
    "delete.hard_ask_again": (
        "⚠️ Really delete deal #{id} “{title}” forever? It will be impossible to restore."
    ),
    "delete.btn_hard_yes": "❌ Yes, delete forever",
    "delete.btn_hard_final": "❌ Delete forever",
    "delete.hard_done": "❌ Deal #{id} “{title}” is deleted forever.",
    "delete.hard_not_allowed": "Only an administrator can delete deals forever.",
    # -- reassign --------------------------------------------------------------------------
    "reassign.ask": "👥 Whom to hand deal #{id} “{title}” to?\nOwner now: {owner}",
    "reassign.nobody": "There is nobody to hand it to: no other active people in the team.",
    "reassign.me": "{name} (you)",
    "reassign.not_allowed": "Only a lead or an administrator can reassign deals.",
    "reassign.same": "This person is the owner already.",
    "reassign.done": "✅ The deal now belongs to {owner}.",
    "reassign.notify": "👥 Deal #{id} “{title}” has been handed to you.\nBy: {actor}.",
}
