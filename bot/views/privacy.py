"""What /privacy says (what is stored, why, who sees it, how long, your rights and record),
and the question before /verwijder erases everything."""

from __future__ import annotations

from bot.i18n import _


def privacy_text(days: int) -> str:
    return (
        _(
            "<b>Your data at Samenspel</b>\n\n"
            "<b>What we keep</b>\n"
            "• Your Telegram account: number, name, username and language, "
            "when you last used the bot, and whether you blocked it.\n"
            "• What you do here: sign-ups for tables, trainings and meetups (with how many "
            "people you bring and, if you answer, your age group and neighbourhood, which "
            "coordinators only ever see counted per table), certificates, the initiatives you "
            "take part in, your settings, "
            "and as a facilitator your wishes, the days you can lead a table, requests and "
            "debriefs.\n"
            "• Messages you send through the bot to initiatives, and questions and answers.\n"
            "• Messages the bot still has to send you, such as reminders.\n"
            "• While you fill something in: your answers so far.\n\n"
            "<b>Why</b>\n"
            "Only to make this work: sign-ups, reminders, and bringing people together. "
            "No advertising, and we never sell anything.\n\n"
            "<b>Who sees it</b>\n"
            "The coordinators see who signed up for an event. The other members of an "
            "initiative see that you are a member. A profile is public only after you agree. "
            "Messages you send to an initiative go to its members, without your name until you "
            "share it. Nobody else.\n\n"
            "<b>How long</b>\n"
            "As long as you use the bot. {days} days after an event, the list of participants "
            "loses the names and the answers about age and neighbourhood; only the numbers stay. "
            "Sent messages are deleted then too. The days "
            "you said you could lead a table are deleted once they have passed.\n\n"
            "<b>Your rights</b>\n"
            "/mydata – get a file with everything we keep about you\n"
            "/delete – delete everything about you\n"
            "Questions? Ask one of the coordinators."
        ).format(days=days)
        + "\n\n"
        + _(
            "<b>Your record</b>\n"
            "Late cancellations and no-shows of the last 12 months are counted from your "
            "sign-ups; you see them with /mystatus. Older ones stop counting by themselves, and a "
            "coordinator can set the count to zero. Nobody is ever kept out because of it: "
            "after several no-shows, sign-ups for busy tables wait first on the waitlist, and "
            "two days before the start they share in the seats that are left."
        )
    )


def erase_question() -> str:
    return _(
        "<b>Delete everything about you?</b>\n\n"
        "• Your account, sign-ups, settings and messages are deleted.\n"
        "• Initiatives where you are the only member are deleted. "
        "Shared initiatives go on without you.\n"
        "• Your past sign-ups only still count in the figures, without your name.\n\n"
        "This cannot be undone."
    )
