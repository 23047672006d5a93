"""The charter's hotline IVR as data: a main menu per line and a help-centre submenu, installed
by ``kefu demo`` (the merchant hotline) and editable in the admin afterwards.

Prompts are short, in both languages, in the charter's style ("按 2 订单问题"); the greeting
(``prompts.greeting``) says support never asks for passwords. Key 9 is the emergency key on
every line: the on-duty lead, around the clock.
"""

from __future__ import annotations

from django.db import transaction

from kefu.intake.phone.models import IvrAction, IvrMenu, IvrOption, PhoneLine
from kefu.sla.models import BusinessCalendar
from kefu.tickets.models import Category

A = IvrAction
# (key, Chinese label, English label, action, {category, skill, article_slug, submenu})
MAIN: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("1", "查询工单进度", "the status of a ticket", A.TICKET_STATUS, {}),
    ("2", "订单问题", "orders", A.ORDER, {"category": "order_trade", "skill": "orders"}),
    ("3", "支付与账单", "payment and billing", A.CATEGORY,
     {"category": "payment_billing", "skill": "payments"}),
    ("4", "物流与清关", "shipment and customs", A.CATEGORY,
     {"category": "shipment_logistics", "skill": "logistics"}),
    ("5", "常见问题", "common questions", A.SUBMENU, {"submenu": "faq"}),
    ("6", "预约回电", "a callback", A.CALLBACK, {}),
    ("7", "留言", "a voicemail", A.VOICEMAIL, {}),
    ("8", "English", "Chinese", A.LANGUAGE, {}),
    ("9", "紧急情况（账号被盗、付款后联系不上商家、系统故障）",
     "an emergency: a stolen account, a merchant gone after payment, a system down",
     A.EMERGENCY, {}),
    ("0", "人工客服", "an agent", A.QUEUE, {}),
]  # fmt: skip
FAQ: list[tuple[str, str, str, str, dict[str, str]]] = [
    ("1", "订单状态说明", "order status", A.KB_ANSWER, {"article_slug": "order-status"}),
    ("2", "退款时效", "refund times", A.KB_ANSWER, {"article_slug": "refund-timelines"}),
    ("3", "账号被锁定", "a locked account", A.KB_ANSWER, {"article_slug": "login-account-locked"}),
    ("0", "返回主菜单", "the main menu", A.SUBMENU, {"submenu": "main"}),
]
PROMPTS = {
    "main": ("请选择服务。", "Please choose a service."),
    "faq": ("常见问题。", "Common questions."),
}


def _menu(prefix: str, name: str) -> IvrMenu:
    zh, en = PROMPTS[name]
    menu, _ = IvrMenu.objects.get_or_create(
        code=f"{prefix}-{name}", defaults={"prompt_zh": zh, "prompt_en": en}
    )
    return menu


def _options(
    menu: IvrMenu, prefix: str, rows: list[tuple[str, str, str, str, dict[str, str]]]
) -> None:
    for key, zh, en, action, extra in rows:
        submenu = _menu(prefix, extra["submenu"]) if "submenu" in extra else None
        category = Category.objects.filter(code=extra.get("category", "")).first()
        IvrOption.objects.update_or_create(
            menu=menu,
            key=key,
            defaults={"label_zh": zh, "label_en": en, "action": action, "submenu": submenu,
                      "category": category, "skill": extra.get("skill", ""),
                      "article_slug": extra.get("article_slug", "")},
        )  # fmt: skip


@transaction.atomic
def install_hotline(
    *, code: str, kind: str, name: str, number: str, secret: str, calendar: str = "cn-standard",
    language: str = "zh",
) -> PhoneLine:  # fmt: skip
    """A line with the charter's menus (made once per line, kept if edited since)."""
    main = _menu(code, "main")
    if not main.options.exists():
        _options(main, code, MAIN)
        _options(_menu(code, "faq"), code, FAQ)
    line, _ = PhoneLine.objects.update_or_create(
        code=code,
        defaults={"kind": kind, "name": name, "number": number, "language": language,
                  "calendar": BusinessCalendar.objects.get(code=calendar), "menu": main,
                  "signing_secret": secret},
    )  # fmt: skip
    return line
