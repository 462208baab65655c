"""Texts of group chats: the bot answers deals and personal data in a private chat only."""

RU = {
    "group.private_only": (
        "Я работаю с вашими сделками только в личном чате — здесь не показываю ни списков, "
        "ни карточек."
    ),
    "group.open_private": "Напишите мне лично: {link}",
}

EN = {
    "group.private_only": (
        "I work with your deals in a private chat only: no lists or cards in a group."
    ),
    "group.open_private": "Write to me directly: {link}",
}
