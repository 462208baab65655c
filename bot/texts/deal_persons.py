"""Texts of a deal's contact persons and labelled links."""

RU = {
    "persons.btn_menu": "👥 Контактные лица",
    "persons.btn_links": "🔗 Ссылки",
    "persons.list": "👥 <b>Контактные лица сделки #{id}</b> · {title}",
    "persons.none": (
        "Пока никого. Добавьте человека со стороны клиента: имя, должность, его e-mail и телефоны."
    ),
    "persons.row": "🧑‍💼 {name}{position} · {contacts:count:контакт|контакта|контактов}",
    "persons.btn_add": "➕ Добавить человека",
    "persons.btn_all": "« Все лица",
    "persons.btn_rename": "✏️ Имя",
    "persons.btn_position": "✏️ Должность",
    "persons.btn_add_contact": "➕ E-mail или телефон",
    "persons.btn_remove_contact": "✖ {value}",
    "persons.btn_remove": "🗑 Удалить человека",
    "persons.btn_remove_yes": "Да, удалить",
    "persons.btn_clear_position": "Очистить",
    "persons.card": "🧑‍💼 <b>{name}</b> · сделка #{id}",
    "persons.position": "Должность: {position}",
    "persons.no_contacts": "Контактов пока нет.",
    "persons.ask_name": "Напишите имя человека (до {limit:count:символа|символов|символов}).",
    "persons.ask_rename": "Напишите новое имя.\nСейчас: <b>{current}</b>",
    "persons.ask_position": "Напишите должность ({name}).\nСейчас: <b>{current}</b>",
    "persons.ask_contact": "Пришлите e-mail или телефон ({name}) — одним сообщением.",
    "persons.ask_remove": "Удалить {name} и все его контакты из сделки #{id}?",
    "persons.added": "✅ Добавлен(а): {name}. Теперь можно добавить должность, e-mail и телефоны.",
    "persons.renamed": "✅ Имя сохранено.",
    "persons.position_saved": "✅ Должность сохранена.",
    "persons.position_cleared": "Должность очищена.",
    "persons.unchanged": "Без изменений.",
    "persons.contact_added": "✅ Добавлено: {value}",
    "persons.contact_removed": "Удалено: {value}",
    "persons.removed": "🗑 {name} больше не в сделке.",
    "persons.gone": "Этого человека уже нет в сделке.",
    "persons.name_empty": "Имя не может быть пустым. Напишите имя человека.",
    "persons.full": "В сделке уже {limit:count:контактное лицо|контактных лица|контактных лиц}.",
    "persons.contact_not_person": "{value} — это сайт. Сайт добавляется к сделке: «Контакты».",
    "persons.need_text": "Напишите текстом или нажмите «Назад».",
    "persons.links": "🔗 <b>Ссылки сделки #{id}</b> · {title}",
    "persons.links_hint": (
        "Ссылка с подписью — не сайт клиента: страница источника заявки, задача в трекере."
    ),
    "persons.links_none": "Ссылок пока нет.",
    "persons.btn_add_link": "➕ Ссылка",
    "persons.btn_remove_link": "✖ {label}: {value}",
    "persons.ask_link": (
        "Пришлите подпись и ссылку одним сообщением, например:\n"
        "<code>Источник https://avito.ru/item/123</code>\n"
        "<code>Задача https://jira.firm.ru/browse/WEB-7</code>"
    ),
    "persons.link_added": "✅ Ссылка добавлена: {label}",
    "persons.link_removed": "Ссылка удалена: {label}",
    "persons.link_empty": "Пришлите ссылку, например: Источник https://avito.ru/item/123",
    "persons.link_no_url": "Не вижу ссылки. Пример: Задача https://jira.firm.ru/browse/WEB-7",
    "persons.links_full": "У сделки уже {limit:count:ссылка|ссылки|ссылок}. Удалите ненужные.",
    "edit.field.person": "Контактное лицо",
    "edit.field.link": "Ссылка",
    "card.persons": "👥 Контактные лица:",
}

EN = {
    "persons.btn_menu": "👥 Contact persons",
    "persons.btn_links": "🔗 Links",
    "persons.list": "👥 <b>Contact persons of deal #{id}</b> · {title}",
    "persons.none": (
        "Nobody yet. Add a person on the client's side: name, position, their e-mails and phones."
    ),
    "persons.row": "🧑‍💼 {name}{position} · {contacts:count:contact|contacts}",
    "persons.btn_add": "➕ Add a person",
    "persons.btn_all": "« All persons",
    "persons.btn_rename": "✏️ Name",
    "persons.btn_position": "✏️ Position",
    "persons.btn_add_contact": "➕ E-mail or phone",
    "persons.btn_remove_contact": "✖ {value}",
    "persons.btn_remove": "🗑 Remove the person",
    "persons.btn_remove_yes": "Yes, remove",
    "persons.btn_clear_position": "Clear",
    "persons.card": "🧑‍💼 <b>{name}</b> · deal #{id}",
    "persons.position": "Position: {position}",
    "persons.no_contacts": "No contacts yet.",
    "persons.ask_name": "Type the person's name (up to {limit:count:character|characters}).",
    "persons.ask_rename": "Type the new name.\nNow: <b>{current}</b>",
    "persons.ask_position": "Type the position ({name}).\nNow: <b>{current}</b>",
    "persons.ask_contact": "Send an e-mail or a phone ({name}) in one message.",
    "persons.ask_remove": "Remove {name} and all their contacts from deal #{id}?",
    "persons.added": "✅ Added: {name}. Now add a position, e-mails and phones.",
    "persons.renamed": "✅ Name saved.",
    "persons.position_saved": "✅ Position saved.",
    "persons.position_cleared": "Position cleared.",
    "persons.unchanged": "Nothing changed.",
    "persons.contact_added": "✅ Added: {value}",
    "persons.contact_removed": "Removed: {value}",
    "persons.removed": "🗑 {name} is no longer on the deal.",
    "persons.gone": "This person is no longer on the deal.",
    "persons.name_empty": "The name cannot be empty. Type the person's name.",
    "persons.full": "The deal has {limit:count:contact person|contact persons} already.",
    "persons.contact_not_person": (
        "{value} is a website. A website belongs to the deal: “Contacts”."
    ),
    "persons.need_text": "Please type it as text, or press “Back”.",
    "persons.links": "🔗 <b>Links of deal #{id}</b> · {title}",
    "persons.links_hint": (
        "A labelled link is not the client's website: the page a request came from, a task."
    ),
    "persons.links_none": "No links yet.",
    "persons.btn_add_link": "➕ Link",
    "persons.btn_remove_link": "✖ {label}: {value}",
    "persons.ask_link": (
        "Send a label and a link in one message, e.g.:\n"
        "<code>Source https://avito.ru/item/123</code>\n"
        "<code>Task https://jira.firm.com/browse/WEB-7</code>"
    ),
    "persons.link_added": "✅ Link added: {label}",
    "persons.link_removed": "Link removed: {label}",
    "persons.link_empty": "Send a link, e.g.: Source https://avito.ru/item/123",
    "persons.link_no_url": "I see no link. Example: Task https://jira.firm.com/browse/WEB-7",
    "persons.links_full": "The deal has {limit:count:link|links} already. Remove some first.",
    "edit.field.person": "Contact person",
    "edit.field.link": "Link",
    "card.persons": "👥 Contact persons:",
}
