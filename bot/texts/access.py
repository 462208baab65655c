"""Texts of /start, invites and registration."""

RU = {
    "start.welcome": (
        "Здравствуйте, {name}! Это dealbot — CRM в Telegram.\n"
        "Создавайте сделки, записывайте заметки после звонков и всегда назначайте дату "
        "следующего шага. Меню — внизу."
    ),
    "start.admin_welcome": (
        "Здравствуйте, {name}! Вы администратор dealbot.\n"
        "Пригласите команду: /invite lead, /invite manager или /invite operator."
    ),
    "start.registered": "Готово, {name}: вы в команде с ролью «{role}». Меню — внизу.",
    "start.already": "Вы уже зарегистрированы (роль «{role}»); приглашение не использовано.",
    "invite.unknown": "Это приглашение не найдено. Попросите новое у руководителя.",
    "invite.used": "Это приглашение уже использовано. Попросите новое у руководителя.",
    "invite.expired": "Срок приглашения истёк. Попросите новое у руководителя.",
    "invite.not_allowed": "Вы не можете приглашать с ролью «{role}».",
    "invite.choose_role": "Кого пригласить?",
    "invite.usage": "Напишите роль: /invite manager, /invite lead или /invite operator.",
    "invite.created": (
        "Приглашение для роли «{role}»:\n{link}\n\n"
        "Ссылка одноразовая и действует до {expires} ({timezone}). "
        "Перешлите её сотруднику."
    ),
    "role.admin": "администратор",
    "role.lead": "руководитель",
    "role.manager": "менеджер",
    "role.operator": "оператор",
}

EN = {
    "start.welcome": (
        "Hello, {name}! This is dealbot, a CRM inside Telegram.\n"
        "Create deals, log notes right after calls and always set the date of the next step. "
        "The menu is below."
    ),
    "start.admin_welcome": (
        "Hello, {name}! You are a dealbot administrator.\n"
        "Invite your team: /invite lead, /invite manager or /invite operator."
    ),
    "start.registered": "Done, {name}: you joined with the role “{role}”. The menu is below.",
    "start.already": "You are already registered (role “{role}”); the invite was not used.",
    "invite.unknown": "This invite was not found. Ask your lead for a new one.",
    "invite.used": "This invite has already been used. Ask your lead for a new one.",
    "invite.expired": "This invite has expired. Ask your lead for a new one.",
    "invite.not_allowed": "You cannot invite people with the role “{role}”.",
    "invite.choose_role": "Whom do you want to invite?",
    "invite.usage": "Name the role: /invite manager, /invite lead or /invite operator.",
    "invite.created": (
        "Invite for the role “{role}”:\n{link}\n\n"
        "The link works once and until {expires} ({timezone}). Forward it to your colleague."
    ),
    "role.admin": "administrator",
    "role.lead": "lead",
    "role.manager": "manager",
    "role.operator": "operator",
}
