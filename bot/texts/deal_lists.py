"""Texts of deal lists (Today, Overdue, My deals, Recently deleted) and of search."""

RU = {
    "lists.today_title": "📅 <b>Сегодня, {date}</b> · {total:count:сделка|сделки|сделок}",
    "lists.overdue_title": "🔥 <b>Просрочено</b> · {total:count:сделка|сделки|сделок}",
    "lists.mine_title": (
        "📂 <b>Мои сделки</b> (в работе и на паузе) · {total:count:сделка|сделки|сделок}"
    ),
    "lists.deleted_title": "🗑 <b>Недавно удалённые</b> · {total:count:сделка|сделки|сделок}",
    "lists.page": "Стр. {page}/{pages}",
    "lists.filters": "Фильтр: {filters}",
    "lists.f_pipeline": "воронка «{name}»",
    "lists.f_stage": "этап «{name}»",
    "lists.f_owner": "ответственный {name}",
    "lists.empty_today": "Нет сделок на сегодня 🎉",
    "lists.empty_overdue": "Просроченных сделок нет 👍",
    "lists.empty_mine": "Сделок в работе нет. Создайте новую: «➕ Новая сделка» в меню.",
    "lists.empty_deleted": "Недавно удалённых сделок нет.",
    "lists.empty_filtered": "С такими фильтрами сделок нет. Измените или сбросьте фильтр.",
    "lists.deleted_on": "🗑 удалена {date}",
    "lists.btn_pipeline": "🗂 Воронка: {name}",
    "lists.btn_stage": "🔀 Этап: {name}",
    "lists.btn_owner": "👥 Чьи: {name}",
    "lists.any": "все",
    "lists.btn_all": "Все",
    "lists.btn_reset": "✖ Сбросить фильтры",
    "lists.btn_back": "« К списку",
    "lists.btn_deleted": "🗑 Недавно удалённые",
    "lists.btn_mine": "📂 Мои сделки",
    "lists.pick_pipeline": "Выберите воронку:",
    "lists.pick_stage": "Выберите этап:",
    "lists.pick_owner": "Чьи сделки показать? Стр. {page}/{pages}",
    "lists.no_owner_filter": "Фильтр по ответственному вам недоступен.",
    "search.title": (
        "🔎 <b>Поиск:</b> «{query}» · {total:plural:найдена|найдены|найдено} "
        "{total:count:сделка|сделки|сделок}"
    ),
    "search.prompt": (
        "🔎 Что ищем? Напишите часть имени клиента, компании или названия сделки, "
        "e-mail или телефон в любом формате.\n/cancel — отмена."
    ),
    "search.empty": (
        "По запросу «{query}» ничего не нашлось. Попробуйте часть имени, e-mail или телефон."
    ),
    "search.too_short": (
        "Слишком короткий запрос: нужно хотя бы {min:count:символ|символа|символов}."
    ),
    "search.too_long": (
        "Слишком длинный запрос: {length:count:символ|символа|символов}, можно не больше {limit}."
    ),
    "search.expired": "Этот поиск устарел. Начните новый: 🔎 Поиск в меню или /find текст.",
    "search.text_only": "Напишите запрос текстом или нажмите /cancel.",
    "search.cancelled": "Поиск отменён.",
    "search.btn_again": "🔎 Новый поиск",
}

EN = {
    "lists.today_title": "📅 <b>Today, {date}</b> · {total:count:deal|deals}",
    "lists.overdue_title": "🔥 <b>Overdue</b> · {total:count:deal|deals}",
    "lists.mine_title": "📂 <b>My deals</b> (in work and paused) · {total:count:deal|deals}",
    "lists.deleted_title": "🗑 <b>Recently deleted</b> · {total:count:deal|deals}",
    "lists.page": "Page {page}/{pages}",
    "lists.filters": "Filter: {filters}",
    "lists.f_pipeline": "pipeline “{name}”",
    "lists.f_stage": "stage “{name}”",
    "lists.f_owner": "owner {name}",
    "lists.empty_today": "No deals for today 🎉",
    "lists.empty_overdue": "No overdue deals 👍",
    "lists.empty_mine": "No deals in work. Create one: “➕ New deal” in the menu.",
    "lists.empty_deleted": "No recently deleted deals.",
    "lists.empty_filtered": "No deals match these filters. Change or reset the filter.",
    "lists.deleted_on": "🗑 deleted {date}",
    "lists.btn_pipeline": "🗂 Pipeline: {name}",
    "lists.btn_stage": "🔀 Stage: {name}",
    "lists.btn_owner": "👥 Whose: {name}",
    "lists.any": "all",
    "lists.btn_all": "All",
    "lists.btn_reset": "✖ Reset filters",
    "lists.btn_back": "« Back to the list",
    "lists.btn_deleted": "🗑 Recently deleted",
    "lists.btn_mine": "📂 My deals",
    "lists.pick_pipeline": "Choose a pipeline:",
    "lists.pick_stage": "Choose a stage:",
    "lists.pick_owner": "Whose deals to show? Page {page}/{pages}",
    "lists.no_owner_filter": "The owner filter is not available to you.",
    "search.title": "🔎 <b>Search:</b> “{query}” · {total:count:deal|deals} found",
    "search.prompt": (
        "🔎 What are we looking for? Type part of the client's name, the company or the deal "
        "title, an e-mail or a phone in any format.\n/cancel to cancel."
    ),
    "search.empty": ("Nothing found for “{query}”. Try part of a name, an e-mail or a phone."),
    "search.too_short": (
        "The query is too short: at least {min:count:character|characters}, please."
    ),
    "search.too_long": (
        "The query is too long: {length:count:character|characters}, at most {limit} allowed."
    ),
    "search.expired": "This search is out of date. Start a new one: 🔎 Search or /find text.",
    "search.text_only": "Please type the query as text, or /cancel.",
    "search.cancelled": "Search cancelled.",
    "search.btn_again": "🔎 New search",
}
