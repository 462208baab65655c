"""Texts of the spreadsheet import (/import) and of list exports (/export, list buttons)."""

RU = {
    "cmd.import": "Импорт сделок из Excel/CSV",
    "cmd.export": "Выгрузить список сделок",
    "import.not_allowed": (
        "Импорт доступен операторам, руководителям и администраторам. "
        "Чтобы добавить сделку, нажмите «➕ Новая сделка»."
    ),
    "import.help": (
        "📥 <b>Импорт сделок</b>\n"
        "Пришлите файл .xlsx или .csv (UTF-8 или Windows-1251, разделитель «;» или «,»). "
        "Первая строка — заголовки; я узнаю колонки по названиям:\n{columns}\n\n"
        "Сначала покажу, что получится (ничего не записывая), и только после подтверждения "
        "создам сделки. Не больше {rows:count:строки|строк|строк} и {mb} МБ."
    ),
    "import.too_big": "Файл больше {mb} МБ — слишком большой. Разделите его на части.",
    "import.download_failed": "Не удалось получить файл от Telegram. Пришлите его ещё раз.",
    "import.err.not_spreadsheet": (
        "Это не таблица. Пришлите файл .xlsx или .csv (в Excel: «Сохранить как» → «Книга Excel»)."
    ),
    "import.err.old_xls": (
        "Это старый формат .xls. Сохраните файл в Excel как .xlsx (или .csv) и пришлите снова."
    ),
    "import.err.encrypted": (
        "Файл защищён паролем — я не могу его прочитать. Снимите пароль и пришлите снова."
    ),
    "import.err.empty": "В файле нет данных: нужна строка заголовков и хотя бы одна строка.",
    "import.err.no_header": "Не нашёл строку заголовков: первая непустая строка — заголовки.",
    "import.err.too_many_rows": (
        "В файле больше {limit:count:строки|строк|строк}. "
        "Разделите его на части и импортируйте по очереди."
    ),
    "import.err.too_big": "Файл распаковывается в слишком большой объём. Разделите его на части.",
    "import.summary_title": "📥 <b>Импорт «{name}»</b> — проверка, ещё ничего не записано",
    "import.rows_total": "Строк с данными: {n}",
    "import.will_create": "✅ Будет создано: {n:count:сделка|сделки|сделок}",
    "import.nothing_to_create": "Создавать нечего.",
    "import.rejected_head": "❌ С ошибками: {n:count:строка|строки|строк}",
    "import.duplicates_head": "♊ Дубли: {n:count:строка|строки|строк} (пропущу)",
    "import.row": "стр. {row}: {reason}",
    "import.more": "… и ещё {n}",
    "import.unknown_owners": "👤 Неизвестные ответственные (строки пропущу): {items}",
    "import.unknown_pipelines": (
        "🗂 Неизвестные воронки (сделки попадут в воронку по умолчанию): {items}"
    ),
    "import.unknown_stages": "🔀 Неизвестные этапы (будет первый этап): {items}",
    "import.unknown_sources": "📣 Неизвестные источники (без источника): {items}",
    "import.item": "«{name}» × {n}",
    "import.merged": "Объединённые ячейки: {n} — значение взято для всех ячеек диапазона.",
    "import.resumed": (
        "Этот файл уже начинали импортировать: {n:count:строка уже записана|строки уже "
        "записаны|строк уже записаны}, продолжу с остальных."
    ),
    "import.done_before": (
        "Этот файл уже импортирован {date}: создано {n:count:сделка|сделки|сделок}. "
        "Повторно ничего не создаю."
    ),
    "import.mapping_head": "Колонки:",
    "import.mapping_line": "{column} → {field}",
    "import.ignored": "не загружать",
    "import.formulas_note": (
        "Формулы: беру посчитанные значения; формула, которую Excel ни разу не считал, "
        "будет пустой ячейкой."
    ),
    "import.btn_confirm": "✅ Импортировать ({n})",
    "import.btn_columns": "🔀 Колонки",
    "import.btn_cancel": "✖ Отмена",
    "import.btn_back": "« Назад",
    "import.btn_ignore": "🚫 Не загружать",
    "import.pick_column": "Выберите колонку, чтобы сменить её поле:",
    "import.pick_field": "Колонка «{column}»: что в ней?",
    "import.cancelled": "Импорт отменён, ничего не записано.",
    "import.concurrent": "Этот файл сейчас импортируется в другом окне — дождитесь конца.",
    "import.stale": "Этот импорт уже завершён или отменён. Пришлите файл заново.",
    "import.progress": "⏳ Импорт «{name}»: записано {done} из {total}…",
    "import.finished": (
        "✅ Импорт «{name}» завершён: создано {n:count:сделка|сделки|сделок}, "
        "пропущено {skipped:count:строка|строки|строк}."
    ),
    "import.rejected_file": "Пропущенные строки и причины — в файле.",
    "import.interrupted": (
        "⚠️ Импорт «{name}» прерван ошибкой: записано {done} из {total}. Пришлите тот же файл "
        "ещё раз — продолжу с первой незаписанной строки, ничего не задвоится."
    ),
    "import.reason.missing_client": "нет клиента (имя, компания или контакт)",
    "import.reason.bad_email": "неверный e-mail «{value}»",
    "import.reason.bad_phone": "неверный телефон «{value}»",
    "import.reason.bad_url": "неверная ссылка «{value}»",
    "import.reason.bad_date": "неверная дата «{value}»",
    "import.reason.bad_amount": "неверная сумма «{value}»",
    "import.reason.bad_currency": "неизвестная валюта «{value}»",
    "import.reason.too_long": "слишком длинное значение «{value}…»",
    "import.reason.unknown_owner": "неизвестный ответственный «{value}»",
    "import.reason.duplicate_in_file": "дубль строки {other}",
    "import.reason.duplicate_open": "уже есть открытая сделка #{other}",
    "import.col.row": "Строка",
    "import.col.reason": "Причина",
    "import.field.1": "Клиент",
    "import.field.2": "Компания",
    "import.field.3": "Контактное лицо",
    "import.field.4": "E-mail",
    "import.field.5": "Телефон",
    "import.field.6": "Сайт",
    "import.field.7": "Воронка",
    "import.field.8": "Этап",
    "import.field.9": "Источник",
    "import.field.10": "Ответственный",
    "import.field.11": "Сумма",
    "import.field.12": "Валюта",
    "import.field.13": "Следующий шаг",
    "import.field.14": "Заметка",
    "history.imported": "Импортирована из файла",
    "export.choose": "📤 <b>Выгрузка</b>: какой список и в каком формате?",
    "export.btn_xlsx": "⬇️ Excel",
    "export.btn_csv": "⬇️ CSV",
    "export.row": "{list}: {format}",
    "export.empty": "В этом списке нет сделок — выгружать нечего.",
    "export.caption": "{title}: {n:count:сделка|сделки|сделок}",
    "export.truncated": "Показаны первые {n}: сузьте список фильтрами.",
    "export.list.1": "Сегодня",
    "export.list.2": "Просрочено",
    "export.list.3": "Мои сделки",
    "export.list.4": "Удалённые",
    "export.list.5": "Поиск",
    "export.list.team": "Сделки команды",
    "export.col.id": "№",
    "export.col.title": "Название",
    "export.col.client": "Клиент",
    "export.col.company": "Компания",
    "export.col.persons": "Контактное лицо",
    "export.col.emails": "E-mail",
    "export.col.phones": "Телефон",
    "export.col.urls": "Сайт",
    "export.col.pipeline": "Воронка",
    "export.col.stage": "Этап",
    "export.col.source": "Источник",
    "export.col.owner": "Ответственный",
    "export.col.amount": "Сумма",
    "export.col.currency": "Валюта",
    "export.col.next_date": "Следующий шаг",
    "export.col.next_time": "Время",
    "export.col.created": "Создана",
    "export.col.updated": "Изменена",
    "export.col.closed": "Закрыта",
    "export.col.reason": "Причина",
}

EN = {
    "cmd.import": "Import deals from Excel/CSV",
    "cmd.export": "Export a list of deals",
    "import.not_allowed": (
        "Import is for operators, leads and admins. To add a deal, press «➕ New deal»."
    ),
    "import.help": (
        "📥 <b>Import deals</b>\n"
        "Send an .xlsx or .csv file (UTF-8 or Windows-1251, separated by «;» or «,»). "
        "The first row holds the headers; I recognise these columns by name:\n{columns}\n\n"
        "First I show what would happen (writing nothing), and create the deals only once "
        "you confirm. At most {rows:count:row|rows} and {mb} MB."
    ),
    "import.too_big": "The file is over {mb} MB, too big. Split it into parts.",
    "import.download_failed": "Could not get the file from Telegram. Please send it again.",
    "import.err.not_spreadsheet": (
        "This is not a spreadsheet. Send an .xlsx or .csv file (in Excel: Save as → Excel "
        "Workbook)."
    ),
    "import.err.old_xls": "This is the old .xls format. Save it as .xlsx (or .csv) and resend.",
    "import.err.encrypted": (
        "The file is password-protected, so I cannot read it. Remove the password and resend."
    ),
    "import.err.empty": "The file has no data: it needs a header row and at least one row.",
    "import.err.no_header": "No header row found: the first non-empty row must hold headers.",
    "import.err.too_many_rows": (
        "The file has more than {limit:count:row|rows}. Split it and import the parts in turn."
    ),
    "import.err.too_big": "The file unpacks to far too much data. Split it into parts.",
    "import.summary_title": "📥 <b>Import «{name}»</b>: a check, nothing written yet",
    "import.rows_total": "Rows with data: {n}",
    "import.will_create": "✅ Will create: {n:count:deal|deals}",
    "import.nothing_to_create": "Nothing to create.",
    "import.rejected_head": "❌ With errors: {n:count:row|rows}",
    "import.duplicates_head": "♊ Duplicates: {n:count:row|rows} (skipped)",
    "import.row": "row {row}: {reason}",
    "import.more": "… and {n} more",
    "import.unknown_owners": "👤 Unknown owners (rows skipped): {items}",
    "import.unknown_pipelines": "🗂 Unknown pipelines (deals go to the default one): {items}",
    "import.unknown_stages": "🔀 Unknown stages (the first stage is used): {items}",
    "import.unknown_sources": "📣 Unknown sources (left empty): {items}",
    "import.item": "«{name}» × {n}",
    "import.merged": "Merged cells: {n}; the value is used for every cell of the range.",
    "import.resumed": (
        "An import of this file was interrupted: {n:count:row is|rows are} written already; "
        "I will go on with the rest."
    ),
    "import.done_before": (
        "This file was imported on {date}: {n:count:deal|deals} created. "
        "Nothing is created twice."
    ),
    "import.mapping_head": "Columns:",
    "import.mapping_line": "{column} → {field}",
    "import.ignored": "not imported",
    "import.formulas_note": (
        "Formulas: their calculated values are used; a formula Excel never calculated reads "
        "as an empty cell."
    ),
    "import.btn_confirm": "✅ Import ({n})",
    "import.btn_columns": "🔀 Columns",
    "import.btn_cancel": "✖ Cancel",
    "import.btn_back": "« Back",
    "import.btn_ignore": "🚫 Do not import",
    "import.pick_column": "Pick a column to change its field:",
    "import.pick_field": "Column «{column}»: what is in it?",
    "import.cancelled": "Import cancelled; nothing was written.",
    "import.concurrent": "This file is being imported elsewhere right now; wait for it to end.",
    "import.stale": "This import is finished or cancelled. Send the file again.",
    "import.progress": "⏳ Importing «{name}»: {done} of {total} written…",
    "import.finished": (
        "✅ Import «{name}» finished: {n:count:deal|deals} created, "
        "{skipped:count:row|rows} skipped."
    ),
    "import.rejected_file": "The skipped rows and why are in the file.",
    "import.interrupted": (
        "⚠️ Import «{name}» stopped by an error: {done} of {total} written. Send the same file "
        "again: I will go on from the first row not written, nothing is doubled."
    ),
    "import.reason.missing_client": "no client (name, company or a contact)",
    "import.reason.bad_email": "bad e-mail «{value}»",
    "import.reason.bad_phone": "bad phone «{value}»",
    "import.reason.bad_url": "bad link «{value}»",
    "import.reason.bad_date": "bad date «{value}»",
    "import.reason.bad_amount": "bad amount «{value}»",
    "import.reason.bad_currency": "unknown currency «{value}»",
    "import.reason.too_long": "value too long «{value}…»",
    "import.reason.unknown_owner": "unknown owner «{value}»",
    "import.reason.duplicate_in_file": "duplicate of row {other}",
    "import.reason.duplicate_open": "an open deal #{other} exists",
    "import.col.row": "Row",
    "import.col.reason": "Reason",
    "import.field.1": "Client",
    "import.field.2": "Company",
    "import.field.3": "Contact person",
    "import.field.4": "E-mail",
    "import.field.5": "Phone",
    "import.field.6": "Website",
    "import.field.7": "Pipeline",
    "import.field.8": "Stage",
    "import.field.9": "Source",
    "import.field.10": "Owner",
    "import.field.11": "Amount",
    "import.field.12": "Currency",
    "import.field.13": "Next step",
    "import.field.14": "Note",
    "history.imported": "Imported from a file",
    "export.choose": "📤 <b>Export</b>: which list, in which format?",
    "export.btn_xlsx": "⬇️ Excel",
    "export.btn_csv": "⬇️ CSV",
    "export.row": "{list}: {format}",
    "export.empty": "This list has no deals: nothing to export.",
    "export.caption": "{title}: {n:count:deal|deals}",
    "export.truncated": "The first {n} are included: narrow the list with filters.",
    "export.list.1": "Today",
    "export.list.2": "Overdue",
    "export.list.3": "My deals",
    "export.list.4": "Deleted",
    "export.list.5": "Search",
    "export.list.team": "Team deals",
    "export.col.id": "No.",
    "export.col.title": "Title",
    "export.col.client": "Client",
    "export.col.company": "Company",
    "export.col.persons": "Contact person",
    "export.col.emails": "E-mail",
    "export.col.phones": "Phone",
    "export.col.urls": "Website",
    "export.col.pipeline": "Pipeline",
    "export.col.stage": "Stage",
    "export.col.source": "Source",
    "export.col.owner": "Owner",
    "export.col.amount": "Amount",
    "export.col.currency": "Currency",
    "export.col.next_date": "Next step",
    "export.col.next_time": "Time",
    "export.col.created": "Created",
    "export.col.updated": "Updated",
    "export.col.closed": "Closed",
    "export.col.reason": "Reason",
}
