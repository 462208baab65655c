"""Texts shared by every feature: access, errors, menu, language."""

RU = {
    "access.no_access": (
        "Извините, у вас нет доступа к этому CRM-боту.\n"
        "Ваш Telegram ID: <code>{telegram_id}</code> — отправьте его администратору, "
        "чтобы получить приглашение."
    ),
    "access.button_denied": "Нет доступа.",
    "error.generic": "Что-то пошло не так, ничего не сохранено. Попробуйте ещё раз.",
    "error.unexpected": (
        "Произошла ошибка, ничего не сохранено. Мы уже знаем о ней; попробуйте ещё раз."
    ),
    "error.unexpected_partial": (
        "Произошла ошибка. Часть действия успела сохраниться — откройте карточку сделки "
        "и проверьте. Мы уже знаем об ошибке."
    ),
    "error.access_denied": "У вас нет прав на это действие.",
    "error.not_found": "Не найдено.",
    "error.button_outdated": "Эта кнопка устарела. Откройте нужное заново из меню.",
    "error.bad_id": "Номер должен быть целым числом от 1, например 12.",
    "error.user_not_found": "Пользователь не найден.",
    "error.invalid_input": "Не получилось разобрать ввод. Попробуйте ещё раз.",
    "error.conflict": "Данные изменились, пока вы смотрели. Показываю актуальное состояние.",
    "common.cancelled": "Отменено. Ничего не изменено.",
    "common.nothing_to_cancel": "Отменять нечего.",
    "common.back": "« Назад",
    "common.cancel": "✖ Отмена",
    "common.skip": "Пропустить »",
    "common.yes": "Да",
    "common.no": "Нет",
    "common.prev": "‹",
    "common.next": "›",
    "common.page": "{page}/{pages}",
    "common.too_long": (
        "Слишком длинный текст: {length:count:символ|символа|символов}, можно не больше {limit}."
    ),
    "common.empty": "Пустой текст не подойдёт. Напишите что-нибудь.",
    "menu.new_deal": "➕ Новая сделка",
    "menu.today": "📅 Сегодня",
    "menu.overdue": "🔥 Просрочено",
    "menu.my_deals": "📂 Мои сделки",
    "menu.search": "🔎 Поиск",
    "menu.stats": "📊 Статистика",
    "menu.placeholder": "Выберите действие в меню ниже.",
    "state.expired": (
        "Этот запрос устарел: ответ пришёл слишком поздно, ничего не сохранено. "
        "Начните действие заново — например, откройте сделку и нажмите нужную кнопку."
    ),
    "menu.shown": "Главное меню.",
    "lang.choose": "Выберите язык интерфейса:",
    "lang.set": "Язык интерфейса: русский.",
    "lang.ru": "🇷🇺 Русский",
    "lang.en": "🇬🇧 English",
    "lang.unknown": "Такого языка нет. Доступны: ru, en.",
}

EN = {
    "access.no_access": (
        "Sorry, you have no access to this CRM bot.\n"
        "Your Telegram ID: <code>{telegram_id}</code> — send it to your administrator "
        "to get an invite."
    ),
    "access.button_denied": "No access.",
    "error.generic": "Something went wrong; nothing was saved. Please try again.",
    "error.unexpected": (
        "An error occurred; nothing was saved. We have logged it; please try again."
    ),
    "error.unexpected_partial": (
        "An error occurred after part of the action was saved: open the deal card to check. "
        "We have logged it."
    ),
    "error.access_denied": "You have no rights for this action.",
    "error.not_found": "Not found.",
    "error.button_outdated": "This button is out of date. Please open it again from the menu.",
    "error.bad_id": "A number must be a whole number from 1, e.g. 12.",
    "error.user_not_found": "User not found.",
    "error.invalid_input": "Could not understand that. Please try again.",
    "error.conflict": "The data changed while you were looking. Here is the current state.",
    "common.cancelled": "Cancelled. Nothing was changed.",
    "common.nothing_to_cancel": "Nothing to cancel.",
    "common.back": "« Back",
    "common.cancel": "✖ Cancel",
    "common.skip": "Skip »",
    "common.yes": "Yes",
    "common.no": "No",
    "common.prev": "‹",
    "common.next": "›",
    "common.page": "{page}/{pages}",
    "common.too_long": (
        "The text is too long: {length:count:character|characters}, at most {limit} allowed."
    ),
    "common.empty": "An empty text won't do. Please write something.",
    "menu.new_deal": "➕ New deal",
    "menu.today": "📅 Today",
    "menu.overdue": "🔥 Overdue",
    "menu.my_deals": "📂 My deals",
    "menu.search": "🔎 Search",
    "menu.stats": "📊 Stats",
    "menu.placeholder": "Choose an action in the menu below.",
    "state.expired": (
        "This prompt has expired: the answer came too late, nothing was saved. "
        "Start the action again, e.g. open the deal and press the button you need."
    ),
    "menu.shown": "Main menu.",
    "lang.choose": "Choose the interface language:",
    "lang.set": "Interface language: English.",
    "lang.ru": "🇷🇺 Русский",
    "lang.en": "🇬🇧 English",
    "lang.unknown": "No such language. Available: ru, en.",
}
