"""Texts of creating a deal: the guided wizard and the one-message /new form."""

RU = {
    "create.header": "➕ <b>Новая сделка</b>",
    "create.ask_client": (
        "Как зовут клиента или как называется компания?\n"
        "Можно сразу с контактами: <i>Иван Петров, ООО Ромашка, ivan@firm.ru, "
        "+7 999 123-45-67</i>.\n"
        "Или перешлите сюда сообщение клиента, или поделитесь его контактом."
    ),
    "create.ask_contacts": (
        "Добавьте контакты: e-mail, телефон, сайт — по одному или несколько в сообщении. "
        "Можно поделиться контактом или переслать сообщение клиента.\n"
        "Когда всё — «Готово»."
    ),
    "create.ask_pipeline": "Выберите воронку:",
    "create.ask_source": "Откуда пришёл клиент? Выберите источник:",
    "create.ask_amount": (
        "Сумма сделки? Например: <i>150000</i>, <i>150 000</i>, <i>150к</i>, <i>1.5м</i>, "
        "<i>1500 USD</i>, <i>$1500</i>. Без валюты — в рублях."
    ),
    "create.ask_next_date": (
        "Когда следующий шаг? Выберите дату или напишите её: <i>28.11</i>, "
        "<i>2026-12-01</i>, <i>завтра</i>, <i>+3</i>, можно со временем: <i>28.11 15:00</i>."
    ),
    "create.ask_time": (
        "Во сколько {date}? Выберите время, напишите его (<i>15:30</i>) или без времени."
    ),
    "create.ask_owner": "Кто будет ответственным за сделку?",
    "create.ask_confirm": "Всё верно? Название можно изменить.",
    "create.ask_title": "Напишите название сделки (до {limit:count:символа|символов|символов}).",
    "create.sum_client": "👤 {value}",
    "create.sum_company": "🏢 {value}",
    "create.sum_contact_email": "✉️ {value}",
    "create.sum_contact_phone": "📞 {value}",
    "create.sum_contact_url": "🔗 {value}",
    "create.sum_pipeline": "Воронка: {value}",
    "create.sum_source": "Источник: {value}",
    "create.sum_amount": "Сумма: {value}",
    "create.sum_next": "Следующий шаг: {value}",
    "create.sum_owner": "Ответственный: {value}",
    "create.sum_title": "Название: <b>{value}</b>",
    "create.btn_next": "Далее »",
    "create.btn_done": "✅ Готово",
    "create.btn_undo": "↩ Убрать последний",
    "create.btn_me": "Я сам(а)",
    "create.btn_create": "✅ Создать",
    "create.btn_edit_title": "✏️ Название",
    "create.btn_reset_title": "Вернуть название по умолчанию",
    "create.btn_open": "Открыть #{id}",
    "create.btn_anyway": "Всё равно создать",
    "create.btn_drop_bad": "Продолжить без него",
    "create.err_bad_email": "«{raw}» — не похоже на e-mail. Пример: ivan@firm.ru",
    "create.err_bad_phone": "«{raw}» — не похоже на телефон. Пример: +7 999 123-45-67",
    "create.err_bad_url": "«{raw}» — не похоже ни на e-mail, ни на телефон, ни на сайт.",
    "create.err_empty": "Пустой контакт не подойдёт.",
    "create.err_too_long": "Контакт слишком длинный: можно не больше 254 символов.",
    "create.err_not_contact": "«{raw}» — не похоже ни на e-mail, ни на телефон, ни на сайт.",
    "create.contacts_limit": (
        "В сделке может быть не больше {limit:count:контакта|контактов|контактов}."
    ),
    "create.contacts_same": "Эти контакты уже добавлены.",
    "create.client_empty": "Напишите имя клиента или название компании.",
    "create.client_too_long": (
        "Слишком длинно: {length:count:символ|символа|символов}, можно не больше {limit}. "
        "Сократите, пожалуйста."
    ),
    "create.title_empty": "Название не может быть пустым. Напишите его.",
    "create.needs_client": "Нужно имя клиента или хотя бы один контакт.",
    "create.no_text": "Пришлите текст, контакт или пересланное сообщение клиента.",
    "create.use_buttons": "Выберите вариант кнопкой под сообщением (или /cancel — отменить).",
    "create.found_some": "«{text}»: {n:count:совпадение|совпадения|совпадений}, выберите кнопкой.",
    "create.found_none": (
        "Ничего не нашлось по «{text}». Выберите кнопкой или напишите часть названия."
    ),
    "create.amount_empty": "Напишите сумму или нажмите «Пропустить».",
    "create.amount_not_a_number": (
        "Не понял сумму «{raw}». Напишите число, например 150000, 150к или 1500 USD."
    ),
    "create.amount_negative": "Сумма не может быть отрицательной.",
    "create.amount_zero": "Сумма должна быть больше нуля. Или нажмите «Пропустить».",
    "create.amount_too_big": "Слишком большая сумма: не больше 999 999 999 999.",
    "create.amount_currency": (
        "Не знаю такую валюту в «{raw}». Можно: RUB, USD, EUR, KZT, BYN, UAH, CNY, GBP, "
        "CHF, AED, TRY."
    ),
    "create.date_bad": (
        "Не понял дату «{raw}». Напишите, например, 28.11, 2026-12-01 или «завтра», "
        "или выберите кнопкой."
    ),
    "create.time_past": "Это время сегодня уже прошло. Выберите более позднее.",
    "create.time_bad": "Не понял время «{raw}». Напишите, например, 15:30, или выберите кнопкой.",
    "create.cancelled": "Создание сделки отменено. Ничего не сохранено.",
    "create.stale": "Эта форма уже закрыта. Начните заново: ➕ Новая сделка.",
    "create.stale_step": "Эта кнопка уже неактуальна.",
    "create.already_created": "Сделка #{id} уже создана.",
    "create.created": "✅ Сделка создана.",
    "create.dups_found": "⚠️ Похоже, этот клиент уже в работе:",
    "create.dup_line": "#{id} — {owner}, этап «{stage}» (совпало: {matched})",
    "create.dups_more": "…и ещё {count:count:сделка|сделки|сделок}.",
    "create.dups_question": "Открыть существующую сделку, всё равно создать новую или отменить?",
    "create.dup_no_access": (
        "Сделка #{id} — ответственный: {owner}; у вас нет к ней доступа. "
        "Договоритесь с коллегой или создайте новую."
    ),
    "create.dup_opened": "Открываю сделку #{id}. Новая сделка не создана.",
    "create.quick_errors": "Не всё получилось разобрать:",
    "create.quick_fix": "Пришлите исправленный контакт или продолжите без него.",
}

EN = {
    "create.header": "➕ <b>New deal</b>",
    "create.ask_client": (
        "What is the client's name or company?\n"
        "You can add contacts right away: <i>John Smith, Acme LLC, john@acme.com, "
        "+1 212 555-0100</i>.\n"
        "Or forward a message from the client here, or share their contact."
    ),
    "create.ask_contacts": (
        "Add contacts: e-mail, phone, website — one or several per message. "
        "You can also share a contact or forward the client's message.\n"
        "Press “Done” when finished."
    ),
    "create.ask_pipeline": "Choose the pipeline:",
    "create.ask_source": "Where did the client come from? Choose the source:",
    "create.ask_amount": (
        "Deal amount? E.g. <i>150000</i>, <i>150 000</i>, <i>150k</i>, <i>1.5m</i>, "
        "<i>1500 USD</i>, <i>$1500</i>. Without a currency it is roubles."
    ),
    "create.ask_next_date": (
        "When is the next step? Choose a date or type it: <i>28.11</i>, <i>2026-12-01</i>, "
        "<i>tomorrow</i>, <i>+3</i>, with a time too: <i>28.11 15:00</i>."
    ),
    "create.ask_time": (
        "At what time on {date}? Choose, type it (<i>15:30</i>) or go without a time."
    ),
    "create.ask_owner": "Who will own the deal?",
    "create.ask_confirm": "All correct? You can change the title.",
    "create.ask_title": "Type the deal title (up to {limit:count:character|characters}).",
    "create.sum_client": "👤 {value}",
    "create.sum_company": "🏢 {value}",
    "create.sum_contact_email": "✉️ {value}",
    "create.sum_contact_phone": "📞 {value}",
    "create.sum_contact_url": "🔗 {value}",
    "create.sum_pipeline": "Pipeline: {value}",
    "create.sum_source": "Source: {value}",
    "create.sum_amount": "Amount: {value}",
    "create.sum_next": "Next step: {value}",
    "create.sum_owner": "Owner: {value}",
    "create.sum_title": "Title: <b>{value}</b>",
    "create.btn_next": "Next »",
    "create.btn_done": "✅ Done",
    "create.btn_undo": "↩ Remove the last one",
    "create.btn_me": "Myself",
    "create.btn_create": "✅ Create",
    "create.btn_edit_title": "✏️ Title",
    "create.btn_reset_title": "Back to the default title",
    "create.btn_open": "Open #{id}",
    "create.btn_anyway": "Create anyway",
    "create.btn_drop_bad": "Go on without it",
    "create.err_bad_email": "“{raw}” does not look like an e-mail. Example: john@acme.com",
    "create.err_bad_phone": "“{raw}” does not look like a phone. Example: +1 212 555-0100",
    "create.err_bad_url": "“{raw}” looks like neither an e-mail, a phone nor a website.",
    "create.err_empty": "An empty contact won't do.",
    "create.err_too_long": "The contact is too long: at most 254 characters.",
    "create.err_not_contact": "“{raw}” looks like neither an e-mail, a phone nor a website.",
    "create.contacts_limit": "A deal can have at most {limit:count:contact|contacts}.",
    "create.contacts_same": "These contacts are already added.",
    "create.client_empty": "Type the client's name or company.",
    "create.client_too_long": (
        "Too long: {length:count:character|characters}, at most {limit} allowed. Please shorten it."
    ),
    "create.title_empty": "The title cannot be empty. Please type it.",
    "create.needs_client": "A client name or at least one contact is needed.",
    "create.no_text": "Send a text, a contact or a forwarded message from the client.",
    "create.use_buttons": "Choose with the buttons under the message (or /cancel to stop).",
    "create.found_some": "“{text}”: {n:count:match|matches}, choose one with the buttons.",
    "create.found_none": "Nothing matches “{text}”. Choose a button or type a part of the name.",
    "create.amount_empty": "Type the amount or press “Skip”.",
    "create.amount_not_a_number": (
        "Could not read the amount “{raw}”. Type a number, e.g. 150000, 150k or 1500 USD."
    ),
    "create.amount_negative": "The amount cannot be negative.",
    "create.amount_zero": "The amount must be above zero. Or press “Skip”.",
    "create.amount_too_big": "The amount is too big: at most 999,999,999,999.",
    "create.amount_currency": (
        "Unknown currency in “{raw}”. Use RUB, USD, EUR, KZT, BYN, UAH, CNY, GBP, CHF, AED or TRY."
    ),
    "create.date_bad": (
        "Could not read the date “{raw}”. Type e.g. 28.11, 2026-12-01 or “tomorrow”, "
        "or use the buttons."
    ),
    "create.time_past": "This time has already passed today. Choose a later one.",
    "create.time_bad": "Could not read the time “{raw}”. Type e.g. 15:30, or use the buttons.",
    "create.cancelled": "Deal creation cancelled. Nothing was saved.",
    "create.stale": "This form is closed. Start again: ➕ New deal.",
    "create.stale_step": "This button is out of date.",
    "create.already_created": "Deal #{id} has already been created.",
    "create.created": "✅ Deal created.",
    "create.dups_found": "⚠️ This client seems to be in work already:",
    "create.dup_line": "#{id} — {owner}, stage “{stage}” (matched: {matched})",
    "create.dups_more": "…and {count} more {count:plural:deal|deals}.",
    "create.dups_question": "Open the existing deal, create a new one anyway, or cancel?",
    "create.dup_no_access": (
        "Deal #{id} belongs to {owner}; you have no access to it. "
        "Agree with your colleague or create a new one."
    ),
    "create.dup_opened": "Opening deal #{id}. No new deal was created.",
    "create.quick_errors": "Not everything could be read:",
    "create.quick_fix": "Send the corrected contact or go on without it.",
}
