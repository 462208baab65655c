"""Texts of /stats, /plan, the lead's daily summary and /settings."""

RU = {
    # -- /stats
    "stats.title_own": "📊 <b>Ваша статистика · {month}</b>",
    "stats.title_team": "📊 <b>Команда «{team}» · {month}</b>",
    "stats.title_all": "📊 <b>Все команды · {month}</b>",
    "stats.won_plan": "🏆 Выиграно за месяц: <b>{progress}</b> ({percent}%)",
    "stats.won_no_plan": (
        "🏆 Выиграно за месяц: <b>{won:count:сделка|сделки|сделок}</b> (план не задан)"
    ),
    "stats.amount": "💰 Сумма выигранных: {amount}",
    "stats.open": "📂 В работе: {count:count:сделка|сделки|сделок}",
    "stats.overdue": "🔥 Просрочено: {count:count:сделка|сделки|сделок}",
    "stats.due_today": "📅 На сегодня: {count:count:сделка|сделки|сделок}",
    "stats.no_next_step": "⚠️ Без следующего шага: {count:count:сделка|сделки|сделок}",
    "stats.of": "{won} из {plan}",
    "stats.row_won": "выиграно {progress}",
    "stats.row_amount": "на сумму {amount}",
    "stats.row_pipeline": (
        "в работе {open:count:сделка|сделки|сделок}: просрочено {overdue}, на сегодня {today}, без "
        "шага {loose}"
    ),
    "stats.total": "Итого",
    "stats.no_team": "Без команды",
    "stats.nobody": "В команде пока нет менеджеров. Пригласите их: /invite manager",
    "stats.more": "… и ещё {count:count:человек|человека|человек}",
    "stats.page": "Стр. {page} из {pages}",
    "stats.plan_hint": "Поставить план: /plan",
    "stats.btn_refresh": "🔄 Обновить",
    "stats.btn_all_teams": "« Все команды",
    "stats.not_your_team": "Это не ваша команда.",
    "stats.leads_only": "Статистика команд доступна руководителям и администраторам.",
    "stats.admins_only": "Сводка по всем командам доступна только администраторам.",
    "stats.team_gone": "Этой команды больше нет.",
    # -- /plan
    "plan.not_allowed": (
        "Планы ставит руководитель или администратор. Свой прогресс смотрите в /stats."
    ),
    "plan.choose_user": "🎯 Кому поставить план? Текущие планы на {month}:",
    "plan.no_candidates": "В вашей команде пока нет менеджеров. Пригласите их: /invite manager",
    "plan.btn_user_plan": "{name} — {won:count:сделка|сделки|сделок}",
    "plan.btn_user_none": "{name} — нет плана",
    "plan.choose_month": "🎯 План: <b>{name}</b>. На какой месяц?",
    "plan.ask_target": (
        "🎯 <b>{name}</b> — план на {month}.\n{current}\n\n"
        "Напишите число выигранных сделок и, если нужно, сумму: «10» или «10 1500000»."
    ),
    "plan.current": "Сейчас: {plan}.",
    "plan.current_none": "Плана пока нет.",
    "plan.deals": "{won:count:выигранная сделка|выигранные сделки|выигранных сделок}",
    "plan.deals_amount": (
        "{won:count:выигранная сделка|выигранные сделки|выигранных сделок} на сумму {amount}"
    ),
    "plan.saved": "✅ <b>{name}</b> — план на {month}: {plan}.",
    "plan.bad_target": (
        "Не понял план. Напишите число сделок (от 1 до 10000) и, если нужно, сумму: "
        "«10» или «10 1500000»."
    ),
    "plan.usage": (
        "Быстрая форма: /plan @username 10 1500000 — план на текущий месяц.\n"
        "Или просто /plan — и выберите кнопками."
    ),
    "plan.user_not_found": "Не нашёл такого сотрудника. Укажите @username или Telegram ID.",
    "plan.not_your_team": (
        "Это сотрудник другой команды: его план ставит его руководитель или администратор."
    ),
    "plan.not_a_seller": "{name} — не менеджер: планы ставятся менеджерам.",
    "plan.past_month": "Прошедшему месяцу план уже не поставить.",
    "plan.gone": "Этот шаг уже неактуален. Начните заново: /plan",
    # -- the lead's daily summary
    "summary.title": "📊 <b>Сводка команды «{team}» за {day}</b>",
    "summary.title_no_team": "📊 <b>Сводка за {day}</b>",
    "summary.row_day": (
        "{new:count:новая сделка|новые сделки|новых сделок} · "
        "{notes:count:заметка|заметки|заметок} · {moves:count:смена этапа|смены этапа|смен этапа}"
    ),
    "summary.row_closed": (
        "{won:plural:выиграна|выиграны|выиграно} {won:count:сделка|сделки|сделок}{amount} · "
        "{lost:plural:проиграна|проиграны|проиграно} {lost:count:сделка|сделки|сделок}"
    ),
    "summary.row_amount": " на {amount}",
    "summary.row_now": (
        "{overdue:plural:просрочена|просрочены|просрочено} {overdue:count:сделка|сделки|сделок} · "
        "без следующего шага: {loose:count:сделка|сделки|сделок}"
    ),
    "summary.row_plan": "план: выиграно {progress} за месяц",
    "summary.row_no_plan": "выиграно за месяц: {won:count:сделка|сделки|сделок} (план не задан)",
    "summary.total": "Итого по команде",
    "summary.see_below": "Подробности — в следующем сообщении.",
    "summary.no_plan_chart": (
        "📉 Планы на месяц не заданы — графика выполнения нет. Поставить план: /plan"
    ),
    # -- plan charts (the summary's picture, /stats): text drawn into an image, not HTML
    "chart.won_deals": "Выиграно сделок за месяц · день {day} из {days}",
    "chart.won_amount": "Сумма выигранных, {sign}: факт / план",
    "chart.other_amount": "Сумма выигранных, {sign} (план — в {plan_sign})",
    "chart.won": "Выиграно",
    "chart.target": "План",
    "chart.pace": "По графику на сегодня",
    "chart.no_plan_tag": "{won} · без плана",
    "chart.own_title": "Выполнение плана, % · день {day} из {days}",
    "chart.own_deals": "Сделки",
    "chart.own_amount": "Сумма, {sign}",
    "chart.thousand": "тыс.",
    "chart.million": "млн",
    "chart.billion": "млрд",
    "chart.caption_title": "📈 <b>План на {month}</b> · день {day} из {days}",
    "chart.caption_team": "📈 <b>План команды «{team}» на {month}</b> · день {day} из {days}",
    "chart.caption_deals": "Сделки: {progress} ({percent}%)",
    "chart.caption_amount": "Сумма: {progress} ({percent}%)",
    "chart.caption_other": "Также выиграно: {amounts} (план — в {plan_sign})",
    "stats.btn_chart": "📈 График плана",
    "stats.no_plan_chart": "План на этот месяц не задан — графика нет.",
    # -- /settings
    "settings.title": "⚙️ <b>Настройки</b>",
    "settings.digest": "☀️ Утренний дайджест: <b>{time}</b>",
    "settings.summary": "📊 Сводка команды: <b>{time}</b>",
    "settings.timezone": "🌍 Часовой пояс: <b>{zone}</b> (сейчас {now})",
    "settings.work_days": "📆 Рабочие дни: <b>{days}</b>",
    "settings.language": "🌐 Язык: русский — сменить: /lang",
    "settings.btn_digest": "☀️ Время дайджеста",
    "settings.btn_summary": "📊 Время сводки",
    "settings.btn_timezone": "🌍 Часовой пояс",
    "settings.btn_work_days": "📆 Рабочие дни",
    "settings.btn_language": "🌐 Язык",
    "settings.btn_done": "✅ Готово",
    "settings.ask_digest": (
        "☀️ Во сколько присылать утренний дайджест?\n"
        "Выберите или напишите время ЧЧ:ММ, например 08:30."
    ),
    "settings.ask_summary": (
        "📊 Во сколько присылать сводку команды?\n"
        "Выберите или напишите время ЧЧ:ММ, например 18:30."
    ),
    "settings.ask_timezone": (
        "🌍 Выберите часовой пояс или напишите его название IANA, например Asia/Almaty."
    ),
    "settings.ask_work_days": (
        "📆 Отметьте рабочие дни: в них приходят дайджест и сводка. Нажатие — вкл/выкл."
    ),
    "settings.saved_digest": "✅ Сохранено: дайджест в {time}.",
    "settings.saved_summary": "✅ Сохранено: сводка в {time}.",
    "settings.saved_timezone": "✅ Сохранено: часовой пояс {zone}.",
    "settings.saved_work_days": "✅ Сохранено: рабочие дни — {days}.",
    "settings.bad_time": "Не понял время «{text}». Напишите ЧЧ:ММ, например 08:30.",
    "settings.bad_timezone": (
        "Не знаю часовой пояс «{zone}». Выберите из списка или напишите название IANA, "
        "например Europe/Moscow."
    ),
    "settings.no_work_days": "Нужен хотя бы один рабочий день.",
    "settings.bad_day": "Такого дня недели нет.",
    "settings.summary_leads_only": "Сводку команды получают руководители.",
    "settings.tz.Europe/Kaliningrad": "Калининград",
    "settings.tz.Europe/Moscow": "Москва",
    "settings.tz.Europe/Samara": "Самара",
    "settings.tz.Asia/Yekaterinburg": "Екатеринбург",
    "settings.tz.Asia/Omsk": "Омск",
    "settings.tz.Asia/Novosibirsk": "Новосибирск",
    "settings.tz.Asia/Krasnoyarsk": "Красноярск",
    "settings.tz.Asia/Irkutsk": "Иркутск",
    "settings.tz.Asia/Yakutsk": "Якутск",
    "settings.tz.Asia/Vladivostok": "Владивосток",
    "settings.tz.Asia/Magadan": "Магадан",
    "settings.tz.Asia/Kamchatka": "Камчатка",
    "settings.tz.Europe/Berlin": "Берлин",
    "settings.tz.Europe/London": "Лондон",
    "settings.tz.America/New_York": "Нью-Йорк",
}

EN = {
    # -- /stats
    "stats.title_own": "📊 <b>Stats · {month}</b>",
    "stats.title_team": "📊 <b>Team “{team}” · {month}</b>",
    "stats.title_all": "📊 <b>All teams · {month}</b>",
    "stats.won_plan": "🏆 Won this month: <b>{progress}</b> ({percent}%)",
    "stats.won_no_plan": "🏆 Won this month: <b>{won:count:deal|deals}</b> (no plan set)",
    "stats.amount": "💰 Won amount: {amount}",
    "stats.open": "📂 In work: {count:count:deal|deals}",
    "stats.overdue": "🔥 Overdue: {count:count:deal|deals}",
    "stats.due_today": "📅 Due today: {count:count:deal|deals}",
    "stats.no_next_step": "⚠️ Without a next step: {count:count:deal|deals}",
    "stats.of": "{won} of {plan}",
    "stats.row_won": "won {progress}",
    "stats.row_amount": "worth {amount}",
    "stats.row_pipeline": (
        "{open:count:deal|deals} in work: {overdue} overdue, {today} due today, {loose} without a "
        "next step"
    ),
    "stats.total": "Total",
    "stats.no_team": "No team",
    "stats.nobody": "The team has no managers yet. Invite them: /invite manager",
    "stats.more": "… and {count} more {count:plural:person|people}",
    "stats.page": "Page {page} of {pages}",
    "stats.plan_hint": "Set a plan: /plan",
    "stats.btn_refresh": "🔄 Refresh",
    "stats.btn_all_teams": "« All teams",
    "stats.not_your_team": "This is not your team.",
    "stats.leads_only": "Team stats are for leads and administrators.",
    "stats.admins_only": "The all-teams overview is for administrators only.",
    "stats.team_gone": "This team no longer exists.",
    # -- /plan
    "plan.not_allowed": "Plans are set by a lead or an administrator. See your progress in /stats.",
    "plan.choose_user": "🎯 Whose plan do you want to set? Current plans for {month}:",
    "plan.no_candidates": "Your team has no managers yet. Invite them: /invite manager",
    "plan.btn_user_plan": "{name} — {won:count:deal|deals}",
    "plan.btn_user_none": "{name} — no plan",
    "plan.choose_month": "🎯 Plan: <b>{name}</b>. Which month?",
    "plan.ask_target": (
        "🎯 <b>{name}</b> — plan for {month}.\n{current}\n\n"
        "Type the number of won deals and, optionally, the amount: “10” or “10 1500000”."
    ),
    "plan.current": "Now: {plan}.",
    "plan.current_none": "No plan yet.",
    "plan.deals": "{won:count:won deal|won deals}",
    "plan.deals_amount": "{won:count:won deal|won deals} worth {amount}",
    "plan.saved": "✅ <b>{name}</b> — plan for {month}: {plan}.",
    "plan.bad_target": (
        "Could not understand the plan. Type the number of deals (1 to 10000) and, optionally, "
        "the amount: “10” or “10 1500000”."
    ),
    "plan.usage": (
        "Quick form: /plan @username 10 1500000 sets this month's plan.\n"
        "Or just /plan and choose with buttons."
    ),
    "plan.user_not_found": "No such colleague found. Give their @username or Telegram ID.",
    "plan.not_your_team": (
        "This person is in another team: their plan is set by their lead or an administrator."
    ),
    "plan.not_a_seller": "{name} is not a manager: plans are set for managers.",
    "plan.past_month": "A plan cannot be set for a past month.",
    "plan.gone": "This step is out of date. Start again: /plan",
    # -- the lead's daily summary
    "summary.title": "📊 <b>Team “{team}” summary for {day}</b>",
    "summary.title_no_team": "📊 <b>Summary for {day}</b>",
    "summary.row_day": (
        "{new:count:new deal|new deals} · {notes:count:note|notes} · "
        "{moves:count:stage move|stage moves}"
    ),
    "summary.row_closed": "won {won:count:deal|deals}{amount} · lost {lost:count:deal|deals}",
    "summary.row_amount": " worth {amount}",
    "summary.row_now": (
        "overdue {overdue:count:deal|deals} · without a next step {loose:count:deal|deals}"
    ),
    "summary.row_plan": "plan: won {progress} this month",
    "summary.row_no_plan": "won this month: {won:count:deal|deals} (no plan set)",
    "summary.total": "Team total",
    "summary.see_below": "Details in the next message.",
    "summary.no_plan_chart": (
        "📉 No plans are set for the month, so there is no progress chart. Set a plan: /plan"
    ),
    "chart.won_deals": "Deals won this month · day {day} of {days}",
    "chart.won_amount": "Won amount, {sign}: actual / plan",
    "chart.other_amount": "Won amount, {sign} (the plan is in {plan_sign})",
    "chart.won": "Won",
    "chart.target": "Plan",
    "chart.pace": "On pace for today",
    "chart.no_plan_tag": "{won} · no plan",
    "chart.own_title": "Plan progress, % · day {day} of {days}",
    "chart.own_deals": "Deals",
    "chart.own_amount": "Amount, {sign}",
    "chart.thousand": "K",
    "chart.million": "M",
    "chart.billion": "B",
    "chart.caption_title": "📈 <b>Plan for {month}</b> · day {day} of {days}",
    "chart.caption_team": "📈 <b>Team “{team}” plan for {month}</b> · day {day} of {days}",
    "chart.caption_deals": "Deals: {progress} ({percent}%)",
    "chart.caption_amount": "Amount: {progress} ({percent}%)",
    "chart.caption_other": "Also won: {amounts} (the plan is in {plan_sign})",
    "stats.btn_chart": "📈 Plan chart",
    "stats.no_plan_chart": "No plan is set for this month, so there is no chart.",
    # -- /settings
    "settings.title": "⚙️ <b>Settings</b>",
    "settings.digest": "☀️ Morning digest: <b>{time}</b>",
    "settings.summary": "📊 Team summary: <b>{time}</b>",
    "settings.timezone": "🌍 Time zone: <b>{zone}</b> (now {now})",
    "settings.work_days": "📆 Work days: <b>{days}</b>",
    "settings.language": "🌐 Language: English — change: /lang",
    "settings.btn_digest": "☀️ Digest time",
    "settings.btn_summary": "📊 Summary time",
    "settings.btn_timezone": "🌍 Time zone",
    "settings.btn_work_days": "📆 Work days",
    "settings.btn_language": "🌐 Language",
    "settings.btn_done": "✅ Done",
    "settings.ask_digest": (
        "☀️ When should the morning digest arrive?\n"
        "Choose or type the time as HH:MM, for example 08:30."
    ),
    "settings.ask_summary": (
        "📊 When should the team summary arrive?\n"
        "Choose or type the time as HH:MM, for example 18:30."
    ),
    "settings.ask_timezone": (
        "🌍 Choose your time zone or type its IANA name, for example Asia/Almaty."
    ),
    "settings.ask_work_days": (
        "📆 Mark your work days: digests and summaries come on them. Tap to switch on/off."
    ),
    "settings.saved_digest": "✅ Saved: digest at {time}.",
    "settings.saved_summary": "✅ Saved: summary at {time}.",
    "settings.saved_timezone": "✅ Saved: time zone {zone}.",
    "settings.saved_work_days": "✅ Saved: work days — {days}.",
    "settings.bad_time": "Could not understand the time “{text}”. Type HH:MM, for example 08:30.",
    "settings.bad_timezone": (
        "Unknown time zone “{zone}”. Choose one from the list or type an IANA name, "
        "for example Europe/London."
    ),
    "settings.no_work_days": "At least one work day is needed.",
    "settings.bad_day": "There is no such weekday.",
    "settings.summary_leads_only": "The team summary goes to leads.",
    "settings.tz.Europe/Kaliningrad": "Kaliningrad",
    "settings.tz.Europe/Moscow": "Moscow",
    "settings.tz.Europe/Samara": "Samara",
    "settings.tz.Asia/Yekaterinburg": "Yekaterinburg",
    "settings.tz.Asia/Omsk": "Omsk",
    "settings.tz.Asia/Novosibirsk": "Novosibirsk",
    "settings.tz.Asia/Krasnoyarsk": "Krasnoyarsk",
    "settings.tz.Asia/Irkutsk": "Irkutsk",
    "settings.tz.Asia/Yakutsk": "Yakutsk",
    "settings.tz.Asia/Vladivostok": "Vladivostok",
    "settings.tz.Asia/Magadan": "Magadan",
    "settings.tz.Asia/Kamchatka": "Kamchatka",
    "settings.tz.Europe/Berlin": "Berlin",
    "settings.tz.Europe/London": "London",
    "settings.tz.America/New_York": "New York",
}
