"""Texts of the catalog editor (/catalogs, admins) and of the pickers' and lists' catalog
filters."""

RU = {
    "catalogs.title": (
        "🗂 <b>Справочники</b>\n"
        "Воронки, этапы и источники сделок. Выберите, что изменить: добавить, "
        "переименовать, убрать в архив, вернуть или переставить."
    ),
    "catalogs.btn_pipelines": "🗂 Воронки",
    "catalogs.btn_stages": "🔀 Этапы",
    "catalogs.btn_sources": "📥 Источники",
    "catalogs.btn_home": "« Справочники",
    "catalogs.btn_settings": "🗂 Справочники (воронки, этапы, источники)",
    "catalogs.list_pipeline": "🗂 <b>Воронки</b>: {n:count:активная|активные|активных}",
    "catalogs.list_stage": "🔀 <b>Этапы</b>: {n:count:активный|активных|активных}",
    "catalogs.list_source": "📥 <b>Источники</b>: {n:count:активный|активных|активных}",
    "catalogs.list_archived": "в архиве: {n:count:элемент|элемента|элементов} (🗄)",
    "catalogs.list_hint": "Нажмите на элемент, чтобы изменить его.",
    "catalogs.page": "Стр. {page} из {pages}",
    "catalogs.btn_add": "➕ Добавить",
    "catalogs.btn_rename": "✏️ Переименовать",
    "catalogs.btn_up": "⬆️ Выше",
    "catalogs.btn_down": "⬇️ Ниже",
    "catalogs.btn_archive": "🗄 В архив",
    "catalogs.btn_restore": "♻️ Вернуть из архива",
    "catalogs.btn_to_list": "« К списку",
    "catalogs.item_pipeline": "🗂 Воронка «{name}»",
    "catalogs.item_stage": "🔀 Этап «{name}»",
    "catalogs.item_source": "📥 Источник «{name}»",
    "catalogs.item_group": "Группа: {group}",
    "catalogs.item_no_group": "Группа: нет (в начале названия нет номера)",
    "catalogs.item_position": "Место в списке: {n}",
    "catalogs.kind_open": "Тип: этап работы",
    "catalogs.kind_won": "Тип: выиграна (закрывает сделку)",
    "catalogs.kind_lost": "Тип: проиграна (закрывает сделку)",
    "catalogs.kind_paused": "Тип: пауза",
    "catalogs.item_deals": "Сделок: {n}, из них в работе: {in_work}",
    "catalogs.item_active": "Показывается при выборе в сделках.",
    "catalogs.item_archived": (
        "🗄 В архиве: при выборе не показывается; сделки и история с ним сохранены."
    ),
    "catalogs.ask_add_pipeline": (
        "Напишите название новой воронки (до {limit} символов). "
        "Номер в начале — группа: «3 Магазин Поддержка» попадёт в группу 3."
    ),
    "catalogs.ask_add_stage": (
        "Напишите название нового этапа (до {limit} символов). "
        "Он встанет после последнего рабочего этапа, перед «Выиграли»."
    ),
    "catalogs.ask_add_source": "Напишите название нового источника (до {limit} символов).",
    "catalogs.ask_rename": "Сейчас: «{name}».\nНапишите новое название (до {limit} символов).",
    "catalogs.need_text": "Напишите название текстом или нажмите «Отмена».",
    "catalogs.added": "✅ Добавлено: «{name}».",
    "catalogs.renamed": "✅ Переименовано: «{old}» → «{name}».",
    "catalogs.unchanged": "Название то же — ничего не изменилось.",
    "catalogs.archived": "🗄 Убрано в архив. Сделки с ним не изменились.",
    "catalogs.restored": "♻️ Возвращено из архива.",
    "catalogs.moved": "Переставлено.",
    "catalogs.at_edge": "Дальше двигать некуда.",
    "catalogs.cancelled": "Отменено, ничего не изменилось.",
    "catalogs.admin_only": "Справочники меняет только администратор. Ничего не изменено.",
    "catalogs.item_gone": "Этого элемента больше нет. Откройте /catalogs заново.",
    "catalogs.name_empty": "Название не может быть пустым. Напишите название.",
    "catalogs.name_too_long": (
        "Слишком длинное название: {length:count:символ|символа|символов}, можно не больше "
        "{limit}. Напишите короче."
    ),
    "catalogs.name_taken": (
        "Название «{name}» уже есть в этом справочнике (возможно, в архиве). "
        "Выберите другое или верните тот элемент из архива."
    ),
    "catalogs.stage_has_deals": (
        "На этом этапе {n:count:сделка|сделки|сделок} в работе. Этап с такими сделками "
        "в архив не убирается: сначала переведите их на другие этапы. Ничего не изменено."
    ),
    "catalogs.last_won_stage": (
        "Это последний этап «выиграна»: без него сделку нельзя закрыть выигрышем. "
        "Ничего не изменено."
    ),
    "catalogs.last_lost_stage": (
        "Это последний этап «проиграна»: без него сделку нельзя закрыть проигрышем. "
        "Ничего не изменено."
    ),
    "catalogs.last_paused_stage": (
        "Это последний этап паузы: без него сделку нельзя приостановить. Ничего не изменено."
    ),
    "catalogs.last_open_stage": (
        "Это последний рабочий этап: новым сделкам не с чего будет начать. Ничего не изменено."
    ),
    "catalogs.unsorted_stays": (
        "В эту воронку попадают заявки с сайта — её нельзя убрать в архив. Переименовать можно."
    ),
    "catalogs.last_pipeline": "Это последняя активная воронка. Ничего не изменено.",
    # Lists: the pipeline filter
    "lists.pick_pipeline_groups": (
        "Выберите воронку, группу воронок или вид: «Магазин: все» — все воронки "
        "интернет-магазинов. Можно и командой: <code>/my магазин</code>, <code>/my 5</code>."
    ),
    "lists.btn_group": "Группа {group}",
    "lists.btn_family": "{name}: все",
    "lists.f_group": "группа воронок {group}",
    "lists.f_name": "воронки со словом «{name}»",
    "lists.f_family": "воронки «{name} …»",
    "lists.name_no_match": (
        "Нет воронки, в названии которой есть «{name}». Посмотрите список: «🗂 Воронка» "
        "в «Мои сделки»."
    ),
    "lists.name_too_long": (
        "Слишком длинный фильтр: можно не больше {limit:count:символа|символов|символов}."
    ),
    "lists.no_group": "Группы воронок {group} нет. Есть: {groups}.",
    "lists.set_expired": (
        "Этот фильтр устарел. Откройте «📂 Мои сделки» заново или напишите, например, "
        "/my магазин."
    ),
}

EN = {
    "catalogs.title": (
        "🗂 <b>Catalogs</b>\n"
        "Pipelines, stages and sources of deals. Choose what to change: add, rename, archive, "
        "restore or reorder."
    ),
    "catalogs.btn_pipelines": "🗂 Pipelines",
    "catalogs.btn_stages": "🔀 Stages",
    "catalogs.btn_sources": "📥 Sources",
    "catalogs.btn_home": "« Catalogs",
    "catalogs.btn_settings": "🗂 Catalogs (pipelines, stages, sources)",
    "catalogs.list_pipeline": "🗂 <b>Pipelines</b>: {n:count:active|active}",
    "catalogs.list_stage": "🔀 <b>Stages</b>: {n:count:active|active}",
    "catalogs.list_source": "📥 <b>Sources</b>: {n:count:active|active}",
    "catalogs.list_archived": "archived: {n:count:item|items} (🗄)",
    "catalogs.list_hint": "Tap an item to change it.",
    "catalogs.page": "Page {page} of {pages}",
    "catalogs.btn_add": "➕ Add",
    "catalogs.btn_rename": "✏️ Rename",
    "catalogs.btn_up": "⬆️ Up",
    "catalogs.btn_down": "⬇️ Down",
    "catalogs.btn_archive": "🗄 Archive",
    "catalogs.btn_restore": "♻️ Restore",
    "catalogs.btn_to_list": "« To the list",
    "catalogs.item_pipeline": "🗂 Pipeline “{name}”",
    "catalogs.item_stage": "🔀 Stage “{name}”",
    "catalogs.item_source": "📥 Source “{name}”",
    "catalogs.item_group": "Group: {group}",
    "catalogs.item_no_group": "Group: none (the name starts with no number)",
    "catalogs.item_position": "Place in the list: {n}",
    "catalogs.kind_open": "Kind: a working stage",
    "catalogs.kind_won": "Kind: won (closes the deal)",
    "catalogs.kind_lost": "Kind: lost (closes the deal)",
    "catalogs.kind_paused": "Kind: paused",
    "catalogs.item_deals": "Deals: {n}, in work: {in_work}",
    "catalogs.item_active": "Offered when a deal's field is chosen.",
    "catalogs.item_archived": "🗄 Archived: not offered any more; its deals and history are kept.",
    "catalogs.ask_add_pipeline": (
        "Type the new pipeline's name (up to {limit} characters). A number at the start is "
        "its group: “3 Shop Support” goes to group 3."
    ),
    "catalogs.ask_add_stage": (
        "Type the new stage's name (up to {limit} characters). It goes after the last "
        "working stage, before Won."
    ),
    "catalogs.ask_add_source": "Type the new source's name (up to {limit} characters).",
    "catalogs.ask_rename": "Now: “{name}”.\nType the new name (up to {limit} characters).",
    "catalogs.need_text": "Type the name as text, or press Cancel.",
    "catalogs.added": "✅ Added: “{name}”.",
    "catalogs.renamed": "✅ Renamed: “{old}” → “{name}”.",
    "catalogs.unchanged": "The same name: nothing changed.",
    "catalogs.archived": "🗄 Archived. Its deals are unchanged.",
    "catalogs.restored": "♻️ Restored.",
    "catalogs.moved": "Moved.",
    "catalogs.at_edge": "It can't go further.",
    "catalogs.cancelled": "Cancelled, nothing changed.",
    "catalogs.admin_only": "Only an admin changes the catalogs. Nothing was changed.",
    "catalogs.item_gone": "This item is gone. Open /catalogs again.",
    "catalogs.name_empty": "The name can't be empty. Type a name.",
    "catalogs.name_too_long": (
        "The name is too long: {length:count:character|characters}, at most {limit}. "
        "Type a shorter one."
    ),
    "catalogs.name_taken": (
        "“{name}” is in this catalog already (maybe archived). Choose another name or "
        "restore that item."
    ),
    "catalogs.stage_has_deals": (
        "{n:count:deal is|deals are} in work at this stage. A stage with such deals is not "
        "archived: move them to other stages first. Nothing was changed."
    ),
    "catalogs.last_won_stage": (
        "This is the last Won stage: without it no deal could be won. Nothing was changed."
    ),
    "catalogs.last_lost_stage": (
        "This is the last Lost stage: without it no deal could be lost. Nothing was changed."
    ),
    "catalogs.last_paused_stage": (
        "This is the last Paused stage: without it no deal could be paused. Nothing was changed."
    ),
    "catalogs.last_open_stage": (
        "This is the last working stage: new deals would have nowhere to start. "
        "Nothing was changed."
    ),
    "catalogs.unsorted_stays": (
        "Website requests land in this pipeline: it can't be archived. It can be renamed."
    ),
    "catalogs.last_pipeline": "This is the last active pipeline. Nothing was changed.",
    "lists.pick_pipeline_groups": (
        "Choose a pipeline, a group or a kind: “Магазин: all” is every online shop pipeline. "
        "Or type: <code>/my магазин</code>, <code>/my 5</code>."
    ),
    "lists.btn_group": "Group {group}",
    "lists.btn_family": "{name}: all",
    "lists.f_group": "pipeline group {group}",
    "lists.f_name": "pipelines named with “{name}”",
    "lists.f_family": "pipelines “{name} …”",
    "lists.name_no_match": (
        "No pipeline has “{name}” in its name. See the list: “🗂 Pipeline” in My deals."
    ),
    "lists.name_too_long": "The filter is too long: at most {limit:count:character|characters}.",
    "lists.no_group": "There is no pipeline group {group}. There are: {groups}.",
    "lists.set_expired": (
        "This filter is out of date. Open My deals again or type, e.g., /my магазин."
    ),
}
