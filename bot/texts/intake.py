"""Texts of web-form intake (/forms, the Claim button, escalations) and the team group feed."""

RU = {
    # /forms, /newform
    "intake.admin_only": "Формы заявок настраивает администратор.",
    "intake.private_only": (
        "Формы заявок настраиваются в личном чате с ботом: там виден секрет формы."
    ),
    "intake.forms_empty": (
        "Форм заявок пока нет. Создайте: /newform Название; команда; источник; воронка "
        "(всё после названия — по желанию)."
    ),
    "intake.forms_title": "Формы заявок ({n}):",
    "intake.form_row": (
        "{number}. <b>{name}</b> — команда: {team}; источник: {source}; воронка: {pipeline}"
    ),
    "intake.form_none": "—",
    "intake.forms_hint": "Новая форма: /newform Название; команда; источник; воронка.",
    "intake.revoke_button": "Отозвать: {name}",
    "intake.revoked": "Форма «{name}» отозвана: её адрес больше не принимает заявок.",
    "intake.form_gone": "Этой формы уже нет.",
    "intake.form_needs_name": (
        "Напишите название формы: /newform Лендинг; Команда продаж; Сайт компании; Неразобранные"
    ),
    "intake.no_such_team": "Команда «{name}» не найдена.",
    "intake.no_such_source": "Источник «{name}» не найден.",
    "intake.no_such_pipeline": "Воронка «{name}» не найдена.",
    "intake.form_created": (
        "Форма «{name}» создана. Адрес для сайта (показан один раз, сохраните его):\n"
        "<code>{url}</code>\n\n"
        "Команда: {team}; источник: {source}; воронка: {pipeline}.\n"
        "Пример и HTML-форма — в README (раздел «Заявки с сайта»)."
    ),
    # the request in a chat
    "intake.new_request": (
        "🆕 Заявка с сайта: <b>{form}</b>\n{client}\n{contacts}{message}{page}\nСделка №{deal}"
    ),
    "intake.message_line": "\n💬 {message}",
    "intake.page_line": "\n🔗 {page}",
    "intake.claim_button": "Взять",
    "intake.claimed_by": "✅ Взял(а): {name}",
    "intake.claimed_you": "Заявка ваша: сделка №{deal} теперь у вас.",
    "intake.already_taken": "Заявку уже взял(а) {name}.",
    "intake.already_taken_unknown": "Заявку уже взяли.",
    "intake.gone": "Этой заявки уже нет.",
    "intake.not_your_team": "Это заявка другой команды.",
    "intake.no_owner": "Некому передать заявку: нет ни одного активного администратора.",
    "intake.known_contact": (
        "📨 Повторная заявка с сайта ({form}) по вашей сделке №{deal} «{title}»: "
        "добавлена заметка.{message}"
    ),
    "intake.open_button": "Открыть сделку",
    "intake.escalation": (
        "⏰ Заявку с сайта никто не взял за {minutes:count:минуту|минуты|минут}: "
        "<b>{form}</b>, {client}. Сделка №{deal}."
    ),
    # the group feed
    "feed.groups_only": (
        "Эта команда работает в группе: добавьте бота в группу команды и отправьте её там."
    ),
    "feed.not_allowed": (
        "Привязать группу к команде может администратор или руководитель этой команды."
    ),
    "feed.name_the_team": "Напишите команду: /bindteam Название команды",
    "feed.bound": (
        "Группа привязана к команде «{team}». Сюда придут новые заявки с сайта (с кнопкой "
        "«Взять»), выигранные сделки и напоминания о невзятых заявках. Настроить: /feed"
    ),
    "feed.unbound": "Группа отвязана от команды «{team}»: лента сюда больше не приходит.",
    "feed.not_bound": "Эта группа не привязана к команде. Привязать: /bindteam Название команды",
    "feed.settings": "Лента команды «{team}» в этой группе:",
    "feed.switch_requests": "Заявки с сайта",
    "feed.switch_won": "Выигранные сделки",
    "feed.switch_escalations": "Невзятые заявки",
    "feed.on": "✅ {name}",
    "feed.off": "▫️ {name}",
    "feed.won": "🏆 Выиграна сделка №{deal} «{title}» — {owner}{amount}",
    "feed.amount": ", {amount}",
}

EN = {
    "intake.admin_only": "Request forms are set up by an admin.",
    "intake.private_only": (
        "Request forms are set up in a private chat with the bot: it shows the form's secret."
    ),
    "intake.forms_empty": (
        "No request forms yet. Create one: /newform Name; team; source; pipeline "
        "(all after the name is optional)."
    ),
    "intake.forms_title": "Request forms ({n}):",
    "intake.form_row": (
        "{number}. <b>{name}</b> — team: {team}; source: {source}; pipeline: {pipeline}"
    ),
    "intake.form_none": "—",
    "intake.forms_hint": "New form: /newform Name; team; source; pipeline.",
    "intake.revoke_button": "Revoke: {name}",
    "intake.revoked": "Form “{name}” revoked: its address takes no more requests.",
    "intake.form_gone": "This form is gone.",
    "intake.form_needs_name": (
        "Write the form's name: /newform Landing; Sales team; Company website; Unsorted"
    ),
    "intake.no_such_team": "Team “{name}” not found.",
    "intake.no_such_source": "Source “{name}” not found.",
    "intake.no_such_pipeline": "Pipeline “{name}” not found.",
    "intake.form_created": (
        "Form “{name}” created. The address for the website (shown once, keep it):\n"
        "<code>{url}</code>\n\n"
        "Team: {team}; source: {source}; pipeline: {pipeline}.\n"
        "An example and an HTML form are in the README (“Requests from the website”)."
    ),
    "intake.new_request": (
        "🆕 Website request: <b>{form}</b>\n{client}\n{contacts}{message}{page}\nDeal #{deal}"
    ),
    "intake.message_line": "\n💬 {message}",
    "intake.page_line": "\n🔗 {page}",
    "intake.claim_button": "Claim",
    "intake.claimed_by": "✅ Claimed by {name}",
    "intake.claimed_you": "The request is yours: deal #{deal} is now yours.",
    "intake.already_taken": "Already taken by {name}.",
    "intake.already_taken_unknown": "Already taken.",
    "intake.gone": "This request is gone.",
    "intake.not_your_team": "This request belongs to another team.",
    "intake.no_owner": "Nobody to hand the request to: there is no active admin.",
    "intake.known_contact": (
        "📨 Another website request ({form}) on your deal #{deal} “{title}”: a note was "
        "added.{message}"
    ),
    "intake.open_button": "Open the deal",
    "intake.escalation": (
        "⏰ Nobody claimed a website request for {minutes:count:minute|minutes}: "
        "<b>{form}</b>, {client}. Deal #{deal}."
    ),
    "feed.groups_only": (
        "This command works in a group: add the bot to the team's group and send it there."
    ),
    "feed.not_allowed": "A group is bound to a team by an admin or that team's lead.",
    "feed.name_the_team": "Write the team: /bindteam Team name",
    "feed.bound": (
        "This group is bound to team “{team}”. New website requests (with a Claim button), "
        "won deals and unclaimed-request alerts come here. Settings: /feed"
    ),
    "feed.unbound": "This group is unbound from team “{team}”: no more feed here.",
    "feed.not_bound": "This group is not bound to a team. Bind it: /bindteam Team name",
    "feed.settings": "The feed of team “{team}” in this group:",
    "feed.switch_requests": "Website requests",
    "feed.switch_won": "Won deals",
    "feed.switch_escalations": "Unclaimed requests",
    "feed.on": "✅ {name}",
    "feed.off": "▫️ {name}",
    "feed.won": "🏆 Deal #{deal} “{title}” won — {owner}{amount}",
    "feed.amount": ", {amount}",
}
