from django.db import migrations

REPLIES = [
    (
        "greeting",
        "Greeting",
        "问候",
        "Hello {customer}, this is agent {agent}. I'm looking at your question now.",
        "{customer}您好，我是客服 {agent}，正在为您查看问题。",
    ),
    (
        "ask-order",
        "Ask for the order",
        "询问订单号",
        "Could you give me the order number and a screenshot of the problem?",
        "请提供订单号和问题截图，方便我们核实。",
    ),
    (
        "checking",
        "Checking",
        "正在核实",
        "Thank you for waiting; I'm checking this with the responsible team.",
        "感谢您的耐心等待，我正在与相关部门核实。",
    ),
    (
        "ticket-created",
        "Follow up by ticket",
        "转工单跟进",
        "I've recorded this on ticket {ticket}; we'll update you there and by email.",
        "已为您记录在工单 {ticket}，后续进展会在工单和邮件中通知您。",
    ),
    (
        "security",
        "Security reminder",
        "安全提醒",
        "For your safety: support never asks for passwords or verification codes.",
        "温馨提示：客服不会向您索要密码或验证码，请注意账号安全。",
    ),
    (
        "closing",
        "Closing",
        "结束语",
        "Is there anything else I can help with? If not, please rate this chat. Thank you!",
        "请问还有其他可以帮您的吗？如没有，欢迎对本次服务进行评价，谢谢！",
    ),
]


def seed(apps, schema_editor):
    CannedReply = apps.get_model("intake", "CannedReply")
    for code, title_en, title_zh, text_en, text_zh in REPLIES:
        CannedReply.objects.get_or_create(
            code=code,
            defaults={"title_en": title_en, "title_zh": title_zh,
                      "text_en": text_en, "text_zh": text_zh},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_chat")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
