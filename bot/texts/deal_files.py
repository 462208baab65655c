"""Texts of files on a deal: the card's 📎, the file list, attaching, refusals."""

RU = {
    "files.btn_none": "📎 Файлы",
    "files.btn_card": "📎 {n}",
    "files.panel": (
        "📎 <b>Файлы сделки</b> ({n:count:файл|файла|файлов}). Пришлите документ, фото или "
        "голосовое сообщение — оно прикрепится к этой сделке. Нажмите на файл, чтобы получить его."
    ),
    "files.panel_empty": (
        "📎 <b>Файлов пока нет.</b> Пришлите документ, фото или голосовое сообщение — оно "
        "прикрепится к этой сделке."
    ),
    "files.more": "Показаны первые {n:count:файл|файла|файлов}.",
    "files.btn_close": "« К карточке",
    "files.btn_delete": "🗑",
    "files.btn_yes_delete": "🗑 Да, удалить",
    "files.btn_no": "« Назад",
    "files.ask_delete": "Удалить файл «{name}»? Его не вернуть.",
    "files.deleted": "Файл «{name}» удалён.",
    "files.attached": "📎 Прикреплено к сделке #{id}: {name}.",
    "files.photo": "Фото от {date}",
    "files.voice": "Голосовое от {date}",
    "file.gone": "Этого файла больше нет.",
    "file.too_big": (
        "Файл слишком большой: {size} МБ. Можно прикрепить файл до {limit} МБ — "
        "сожмите его или положите в облако и добавьте ссылку заметкой."
    ),
    "file.refused_type": (
        "Файлы такого типа ({ext}) не прикрепляются: программы и скрипты в CRM не храним."
    ),
    "files.unsupported": "Прикрепить можно документ, фото или голосовое сообщение.",
    "files.expected": (
        "Жду файл для сделки: документ, фото или голосовое сообщение. «« К карточке» — закончить."
    ),
    "files.how_to": (
        "Чтобы прикрепить файл к сделке, ответьте (reply) им на карточку сделки "
        "или нажмите 📎 в карточке и пришлите файл."
    ),
    "edit.field.file": "📎 Файл",
}

EN = {
    "files.btn_none": "📎 Files",
    "files.btn_card": "📎 {n}",
    "files.panel": (
        "📎 <b>Files of the deal</b> ({n:count:file|files}). Send a document, a photo or a "
        "voice message and it is attached to this deal. Tap a file to get it."
    ),
    "files.panel_empty": (
        "📎 <b>No files yet.</b> Send a document, a photo or a voice message and it is "
        "attached to this deal."
    ),
    "files.more": "The first {n:count:file|files} shown.",
    "files.btn_close": "« Back to the card",
    "files.btn_delete": "🗑",
    "files.btn_yes_delete": "🗑 Yes, delete",
    "files.btn_no": "« Back",
    "files.ask_delete": "Delete the file “{name}”? It cannot be restored.",
    "files.deleted": "File “{name}” deleted.",
    "files.attached": "📎 Attached to deal #{id}: {name}.",
    "files.photo": "Photo of {date}",
    "files.voice": "Voice message of {date}",
    "file.gone": "This file is gone.",
    "file.too_big": (
        "The file is too big: {size} MB. Files up to {limit} MB can be attached: compress "
        "it, or put it in a cloud and add the link as a note."
    ),
    "file.refused_type": (
        "Files of this type ({ext}) are not attached: the CRM keeps no programs or scripts."
    ),
    "files.unsupported": "A document, a photo or a voice message can be attached.",
    "files.expected": (
        "Waiting for a file for the deal: a document, a photo or a voice message. "
        "“« Back to the card” to finish."
    ),
    "files.how_to": (
        "To attach a file to a deal, send it as a reply to the deal card, or tap 📎 on the "
        "card and then send the file."
    ),
    "edit.field.file": "📎 File",
}
