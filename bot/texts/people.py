"""Texts of /people (list, card, deactivate, role, team, hand-over), /profile and the owner
of a one-message /new."""

RU = {
    # /people
    "cmd.people": "Сотрудники: роли, команды, деактивация",
    "cmd.profile": "Профиль: имя, e-mail, начало названия сделок",
    "people.title": "👥 <b>Сотрудники</b>",
    "people.count": "{n:count:сотрудник|сотрудника|сотрудников}",
    "people.page": "Страница {page} из {pages}",
    "people.empty": "Здесь пока никого нет.",
    "people.row": "{n}. {name} · {role} · {team} · {seen}{flags}",
    "people.no_team": "без команды",
    "people.never": "не заходил(а)",
    "people.flag_off": " · 🚫 деактивирован(а)",
    "people.flag_blocked": " · ⛔ бот заблокирован",
    "people.card_title": "👤 <b>{name}</b>",
    "people.card_username": "Telegram: @{username}",
    "people.card_role": "Роль: {role}",
    "people.card_team": "Команда: {team}",
    "people.card_email": "E-mail: {email}",
    "people.card_seen": "Последняя активность: {seen}",
    "people.card_active": "Доступ: есть",
    "people.card_inactive": "Доступ: 🚫 деактивирован(а) — сделки остаются за сотрудником",
    "people.card_reachable": "Сообщения: доходят",
    "people.card_unreachable": "Сообщения: ⛔ не доходят (бот заблокирован в Telegram)",
    "people.card_deals": "📂 {n:count:открытая сделка|открытые сделки|открытых сделок}",
    "people.btn_deactivate": "🚫 Деактивировать",
    "people.btn_reactivate": "✅ Вернуть доступ",
    "people.btn_role": "🎭 Роль",
    "people.btn_team": "👥 Команда",
    "people.btn_handover": "📦 Передать {n:count:сделку|сделки|сделок}",
    "people.btn_list": "« К списку",
    "people.btn_back": "« Назад",
    "people.btn_yes_deactivate": "Да, деактивировать",
    "people.btn_no_team": "Без команды",
    "people.btn_settings": "👥 Сотрудники",
    "people.ask_deactivate": (
        "Деактивировать сотрудника «{name}»? Он(а) потеряет доступ к боту и перестанет "
        "получать дайджесты и напоминания. Сделки останутся за ним (ней), их можно передать."
    ),
    "people.deactivated": "🚫 Доступ закрыт.",
    "people.deactivated_deals": (
        "🚫 Доступ закрыт. За сотрудником {n:plural:осталась|остались|осталось} "
        "{n:count:открытая сделка|открытые сделки|открытых сделок} — передайте их кнопкой ниже."
    ),
    "people.reactivated": "✅ Доступ возвращён.",
    "people.already": "Уже сделано.",
    "people.ask_role": "Новая роль для «{name}»:",
    "people.role_saved": "✅ Роль: {role}.",
    "people.ask_team": "Команда для «{name}»:",
    "people.team_saved": "✅ Команда: {team}.",
    "people.ask_handover": (
        "Кому передать открытые сделки сотрудника «{name}» ({n:count:сделка|сделки|сделок})?"
    ),
    "people.no_candidates": "Передать некому: нет других активных менеджеров.",
    "people.confirm_handover": (
        "Передать {n:count:открытую сделку|открытые сделки|открытых сделок} "
        "от «{old}» сотруднику «{new}»? Каждая передача попадёт в историю сделки."
    ),
    "people.btn_yes_handover": "Да, передать",
    "people.handed": (
        "✅ {n:plural:Передана|Переданы|Передано} "
        "{n:count:сделка|сделки|сделок}. Новый ответственный: {new}."
    ),
    "people.nothing_to_hand": "Открытых сделок у сотрудника уже нет.",
    "people.handover_notify": (
        "📦 Вам {n:plural:передана|переданы|передано} "
        "{n:count:открытая сделка|открытые сделки|открытых сделок}. "
        "Прежний ответственный: {old}. Передал(а): {actor}.\nОни в списке «Мои сделки»."
    ),
    "people.not_allowed": "Список сотрудников доступен администраторам и руководителям.",
    "people.other_team": "Этот сотрудник не из вашей команды.",
    "people.not_yours": "Вы не можете менять этого сотрудника.",
    "people.admin_only": "Роль и команду меняет администратор.",
    "people.last_admin": "Нельзя: это последний активный администратор.",
    "people.team_gone": "Этой команды больше нет.",
    "people.handover_inactive": "Этот сотрудник деактивирован: выберите другого.",
    # /profile
    "profile.title": "🙂 <b>Профиль</b>",
    "profile.name": "Имя: {name}",
    "profile.email": "E-mail: {email}",
    "profile.no_email": "E-mail: не указан",
    "profile.prefix": "Начало названия сделок: {prefix}",
    "profile.example": "Например: <i>{example}</i>",
    "profile.prefix_email": "e-mail",
    "profile.prefix_name": "имя",
    "profile.prefix_none": "без начала",
    "profile.example_client": "ООО Ромашка",
    "profile.btn_name": "✏️ Имя",
    "profile.btn_email": "✉️ E-mail",
    "profile.btn_clear_email": "🗑 Убрать e-mail",
    "profile.btn_prefix": "🏷 Начало названия",
    "profile.btn_settings": "🙂 Профиль",
    "profile.ask_name": "Напишите ваше имя, как его увидят коллеги (до {limit} символов).",
    "profile.ask_email": "Напишите ваш рабочий e-mail.",
    "profile.ask_prefix": (
        "С чего начинать название новой сделки? По правилам компании — с e-mail менеджера, "
        "чтобы каждый отличал свои сделки в общем списке."
    ),
    "profile.saved_name": "✅ Имя сохранено.",
    "profile.saved_email": "✅ E-mail сохранён.",
    "profile.cleared_email": "✅ E-mail убран.",
    "profile.saved_prefix": "✅ Сохранено. Уже созданные сделки не меняются.",
    "profile.unchanged": "Без изменений.",
    "profile.name_empty": "Имя не может быть пустым. Напишите его ещё раз.",
    "profile.name_too_long": (
        "Имя длиннее {limit:count:символа|символов|символов}: "
        "{length:count:символ|символа|символов}. Напишите короче."
    ),
    "profile.email_bad": "Это не похоже на e-mail. Пример: <i>ivan@firm.ru</i>.",
    "profile.no_text": "Напишите текстом, пожалуйста.",
    # one-message /new: whose deal
    "create.owner_hint": (
        "Чья это сделка? Выберите ответственного. В следующий раз можно указать его прямо в "
        "/new: строкой <i>Ответственный: Иванов</i> или <i>@username</i>."
    ),
    "create.owner_unknown": "Не нашёл среди сотрудников: «{who}». Выберите ответственного.",
    "create.owner_many": "Под «{who}» подходят несколько сотрудников. Выберите ответственного.",
    "create.owner_not_allowed": (
        "Вы создаёте сделки только на себя: уберите строку «Ответственный» или @username."
    ),
    "create.quick_owner_help": (
        "Ответственного можно указать в /new строкой <i>Ответственный: Иванов</i> "
        "или <i>@username</i>."
    ),
}

EN = {
    "cmd.people": "People: roles, teams, deactivation",
    "cmd.profile": "Profile: name, e-mail, deal title start",
    "people.title": "👥 <b>People</b>",
    "people.count": "{n:count:person|people}",
    "people.page": "Page {page} of {pages}",
    "people.empty": "Nobody here yet.",
    "people.row": "{n}. {name} · {role} · {team} · {seen}{flags}",
    "people.no_team": "no team",
    "people.never": "never seen",
    "people.flag_off": " · 🚫 deactivated",
    "people.flag_blocked": " · ⛔ blocked the bot",
    "people.card_title": "👤 <b>{name}</b>",
    "people.card_username": "Telegram: @{username}",
    "people.card_role": "Role: {role}",
    "people.card_team": "Team: {team}",
    "people.card_email": "E-mail: {email}",
    "people.card_seen": "Last active: {seen}",
    "people.card_active": "Access: yes",
    "people.card_inactive": "Access: 🚫 deactivated — their deals stay with them",
    "people.card_reachable": "Messages: delivered",
    "people.card_unreachable": "Messages: ⛔ not delivered (the bot is blocked in Telegram)",
    "people.card_deals": "📂 {n:count:open deal|open deals}",
    "people.btn_deactivate": "🚫 Deactivate",
    "people.btn_reactivate": "✅ Restore access",
    "people.btn_role": "🎭 Role",
    "people.btn_team": "👥 Team",
    "people.btn_handover": "📦 Hand over {n:count:deal|deals}",
    "people.btn_list": "« To the list",
    "people.btn_back": "« Back",
    "people.btn_yes_deactivate": "Yes, deactivate",
    "people.btn_no_team": "No team",
    "people.btn_settings": "👥 People",
    "people.ask_deactivate": (
        "Deactivate “{name}”? They lose access to the bot and get no digests or reminders. "
        "Their deals stay with them and can be handed over."
    ),
    "people.deactivated": "🚫 Access closed.",
    "people.deactivated_deals": (
        "🚫 Access closed. {n:count:open deal stays|open deals stay} with them — "
        "hand them over with the button below."
    ),
    "people.reactivated": "✅ Access restored.",
    "people.already": "Done already.",
    "people.ask_role": "New role for “{name}”:",
    "people.role_saved": "✅ Role: {role}.",
    "people.ask_team": "Team for “{name}”:",
    "people.team_saved": "✅ Team: {team}.",
    "people.ask_handover": "Who takes the open deals of “{name}” ({n:count:deal|deals})?",
    "people.no_candidates": "Nobody to hand them to: no other active managers.",
    "people.confirm_handover": (
        "Hand {n:count:open deal|open deals} of “{old}” over to “{new}”? "
        "Each one is recorded in the deal's history."
    ),
    "people.btn_yes_handover": "Yes, hand over",
    "people.handed": "✅ {n:count:deal|deals} handed over. New owner: {new}.",
    "people.nothing_to_hand": "They have no open deals any more.",
    "people.handover_notify": (
        "📦 {n:count:open deal has|open deals have} been handed to you. "
        "Previous owner: {old}. By: {actor}.\nYou will find them in “My deals”."
    ),
    "people.not_allowed": "The people list is for admins and team leads.",
    "people.other_team": "This person is not in your team.",
    "people.not_yours": "You cannot change this person.",
    "people.admin_only": "Roles and teams are changed by an admin.",
    "people.last_admin": "Not possible: this is the last active admin.",
    "people.team_gone": "This team no longer exists.",
    "people.handover_inactive": "This person is deactivated: choose someone else.",
    "profile.title": "🙂 <b>Profile</b>",
    "profile.name": "Name: {name}",
    "profile.email": "E-mail: {email}",
    "profile.no_email": "E-mail: not set",
    "profile.prefix": "Deal titles start with: {prefix}",
    "profile.example": "For example: <i>{example}</i>",
    "profile.prefix_email": "e-mail",
    "profile.prefix_name": "name",
    "profile.prefix_none": "nothing",
    "profile.example_client": "Acme Ltd",
    "profile.btn_name": "✏️ Name",
    "profile.btn_email": "✉️ E-mail",
    "profile.btn_clear_email": "🗑 Remove e-mail",
    "profile.btn_prefix": "🏷 Title start",
    "profile.btn_settings": "🙂 Profile",
    "profile.ask_name": "Type your name as colleagues will see it (up to {limit} characters).",
    "profile.ask_email": "Type your work e-mail.",
    "profile.ask_prefix": (
        "What should a new deal's title start with? The company's rule: the manager's "
        "e-mail, so everyone tells their deals apart in a shared list."
    ),
    "profile.saved_name": "✅ Name saved.",
    "profile.saved_email": "✅ E-mail saved.",
    "profile.cleared_email": "✅ E-mail removed.",
    "profile.saved_prefix": "✅ Saved. Deals created already keep their titles.",
    "profile.unchanged": "Nothing changed.",
    "profile.name_empty": "The name cannot be empty. Please type it again.",
    "profile.name_too_long": (
        "The name is longer than {limit:count:character|characters}: "
        "{length:count:character|characters}. Please make it shorter."
    ),
    "profile.email_bad": "That does not look like an e-mail. Example: <i>ivan@firm.ru</i>.",
    "profile.no_text": "Please type it as text.",
    "create.owner_hint": (
        "Whose deal is it? Choose the owner. Next time you can name them in /new itself: "
        "a line <i>Owner: Smith</i> or <i>@username</i>."
    ),
    "create.owner_unknown": "No such person found: “{who}”. Choose the owner.",
    "create.owner_many": "Several people fit “{who}”. Choose the owner.",
    "create.owner_not_allowed": (
        "You create deals for yourself only: remove the “Owner” line or the @username."
    ),
    "create.quick_owner_help": (
        "You can name the owner in /new: a line <i>Owner: Smith</i> or <i>@username</i>."
    ),
}
