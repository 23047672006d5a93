# ruff: noqa: E501  (scenario tables read best one per line)
"""Bilingual demo data: three organisations, staff in teams, and ~50 tickets in varied states.

Idempotent: people and organisations are upserted (demo passwords reset to ``kefu-demo``), and
tickets are only created when the demo organisations have none yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kefu.accounts.access import SYSTEM, Viewer, viewer_for
from kefu.accounts.models import Account, Agent, Organization, Team, User
from kefu.intake.models import Mailbox, WechatAccount
from kefu.tickets import actions
from kefu.tickets.models import Category, Channel, Status, Ticket

PASSWORD = "kefu-demo"

ORGANIZATIONS = [
    # code, name, kind, tier, gmv, phone
    ("yuncai", "杭州云采供应链有限公司", "buyer", "standard", "180000", "0571-88000001"),
    ("huaxin", "深圳华信电子商行", "merchant", "key_account", "820000", "0755-86000002"),
    (
        "pacific-bridge",
        "Pacific Bridge Trading LLC",
        "both",
        "standard",
        "240000",
        "+1-212-555-0142",
    ),
]

# email, name, organisation, main?, scopes, language
CUSTOMERS = [
    ("buyer@example.com", "王磊", "yuncai", True, [], "zh-hans"),
    ("buyer.sub@example.com", "李娜", "yuncai", False, ["create_tickets", "order_tickets"], "zh-hans"),
    ("merchant@example.com", "陈晓", "huaxin", True, [], "zh-hans"),
    ("ops@pacificbridge.example", "Emma Clark", "pacific-bridge", True, [], "en"),
    ("finance@pacificbridge.example", "Raj Patel", "pacific-bridge", False,
     ["create_tickets", "billing_tickets"], "en"),
    ("warehouse@pacificbridge.example", "Tom Baker", "pacific-bridge", False,
     ["create_tickets", "order_tickets"], "en"),
]  # fmt: skip

# email, agent id, name, role, teams, languages, skills
STAFF = [
    ("admin@example.com", "ADM001", "管理员 Admin", "admin", [], ["zh", "en"], []),
    ("lead@example.com", "L1001", "刘洋 Liu Yang", "lead",
     ["orders", "logistics", "after-sales", "triage", "complaints"], ["zh", "en"], ["disputes"]),
    ("agent@example.com", "A1024", "张敏 Zhang Min", "agent",
     ["orders", "logistics", "after-sales", "triage"], ["zh", "en"], ["orders", "logistics"]),
    ("billing.agent@example.com", "A1031", "周婷 Zhou Ting", "agent",
     ["billing", "account-access"], ["zh"], ["payments", "invoices"]),
    ("tech.agent@example.com", "A1042", "Sam Lee", "agent",
     ["integration", "merchants", "general"], ["en", "zh"], ["api", "webhooks"]),
    ("qa@example.com", "Q2001", "质检 QA", "qa", [], ["zh", "en"], []),
]  # fmt: skip

# The escalation paths' teams (seeded by migration) and who leads each in the demo.
ESCALATION_LEADS = [("ops-response", "L1001"), ("reconciliation", "L1001"),
                    ("security-desk", "L1001"), ("integration-experts", "A1042")]  # fmt: skip

# Support addresses by purpose (`kefu smtpd` accepts mail for these), and their queues.
MAILBOXES = [("service", "service@kefu.example.com", None),
             ("merchant", "merchant@kefu.example.com", "merchants"),
             ("complaint", "complaint@kefu.example.com", "complaints")]  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    category: str
    subject: str
    body: str
    order_id: str = ""
    error_code: str = ""
    want: str = ""
    priority: str = "normal"
    reply: str = ""


ZH = [
    Scenario("order_trade", "订单 PO-88123 能否修改收货地址", "您好，我们昨天下的订单 PO-88123 收货地址写错了，仓库在杭州余杭区，请帮忙修改。", "PO-88123", want="修改收货地址", reply="已为您提交地址修改申请，商家确认后会更新。"),
    Scenario("payment_billing", "增值税专用发票开具", "上月货款已结清，需要开具增值税专用发票，抬头和税号已在账户资料里更新。", want="本月 25 日前收到发票", reply="财务已受理，预计 3 个工作日内开具。"),
    Scenario("shipment_logistics", "物流单号一周没有更新", "运单 SF1234567890 从 11 月 2 日起就没有轨迹更新了，货物比较急。", "PO-77102", want="尽快确认货物位置", priority="high"),
    Scenario("after_sales", "收到的货物有破损，申请退款", "批量采购的 200 件显示屏有 12 件破损，已拍照，申请部分退款。", "PO-66510", want="退还 12 件的货款", reply="请补充外包装和面单的照片，我们会尽快处理。"),
    Scenario("account_access", "子账号收不到验证码", "采购子账号登录时一直收不到短信验证码，换了手机也不行。", want="恢复子账号登录"),
    Scenario("integration_tech", "API 回调一直返回 403", "我们的 ERP 对接订单回调接口，从今天上午开始一直报 AE-ERR-403，签名没有改过。", error_code="AE-ERR-403", priority="high", reply="请提供请求时间和 request id，我们查一下网关日志。"),
    Scenario("product_merchant", "商品详情页价格显示错误", "店铺里的型号 HX-200 在详情页显示的阶梯价格和后台设置的不一致。", want="页面价格与后台一致"),
    Scenario("payment_billing", "保证金冻结无法提现", "店铺保证金被冻结，提示风控审核中，已经三天了，影响周转。", priority="urgent", want="解冻保证金"),
    Scenario("shipment_logistics", "批量打印面单失败", "今天批量打印面单时报错 LBL-500，浏览器控制台有报错，附上截图。", error_code="LBL-500", priority="high"),
    Scenario("other", "关于平台大促规则的咨询", "双十二活动的报名条件里，店铺评分要求是多少？新店能否参加？"),
    Scenario("after_sales", "商家收款后失联", "我们付款后商家一直不回复，电话也打不通，订单 PO-55221 金额较大。", "PO-55221", priority="urgent", want="平台介入"),
    Scenario("account_access", "企业资质审核进度", "上周提交的营业执照和进出口资质，审核一直显示处理中，想了解进度。"),
]  # fmt: skip

EN = [
    Scenario("order_trade", "Cancel order PO-90411 before shipment", "Please cancel PO-90411; our customer withdrew the purchase order. It has not shipped yet.", "PO-90411", want="Cancel and refund"),
    Scenario("payment_billing", "Wire transfer not reflected in balance", "We wired USD 18,400 on Nov 3 (ref PB-2291) but the balance still shows unpaid.", want="Apply the payment to invoice INV-3310", priority="high", reply="Thanks, could you attach the bank's remittance advice?"),
    Scenario("shipment_logistics", "Customs hold at LAX", "Shipment for PO-88410 is held by customs at LAX asking for a commercial invoice with HS codes.", "PO-88410", want="Release the shipment this week", reply="We've sent the corrected commercial invoice to the broker."),
    Scenario("integration_tech", "Webhook deliveries failing since 09:00", "Our order.created webhooks started failing with HTTP 502 this morning. Production is affected.", error_code="HTTP-502", priority="urgent"),
    Scenario("after_sales", "Wrong items received", "We received 50 units of model A-12 instead of A-21 for PO-70022. Need a replacement.", "PO-70022", want="Replacement shipped by Friday"),
    Scenario("account_access", "Add a finance sub-account", "How do I create a sub-account for our finance team that can only see invoices?"),
    Scenario("product_merchant", "Supplier listing shows outdated certificate", "The CE certificate on supplier store HX-Elec listing is expired.", want="Updated certificate"),
    Scenario("other", "Suggestion: export tickets to CSV", "It would help our operations team to export ticket history to CSV monthly."),
    Scenario("payment_billing", "Duplicate charge on card", "Our corporate card was charged twice for order PO-91002.", "PO-91002", want="Refund the duplicate charge", reply="We see both authorisations; the duplicate will be reversed in 3–5 working days."),
    Scenario("shipment_logistics", "Tracking shows delivered but not received", "Tracking for PO-61234 says delivered on Nov 5, our warehouse has no record.", "PO-61234", priority="high"),
    Scenario("integration_tech", "Field mapping for SKU attributes", "Which API field carries the variant colour for SKUs? Our mapping drops it.", error_code="", reply="Use attributes[].name = 'color'; see the API docs section 4.2."),
    Scenario("order_trade", "Partial shipment question", "Can PO-93300 ship in two batches? Half the quantity is needed urgently.", "PO-93300"),
    Scenario("after_sales", "Dispute evidence upload", "We opened a dispute for PO-52001; where do we upload the inspection report?", "PO-52001"),
]  # fmt: skip

# The life each ticket lives after creation, cycled over the scenarios.
STORIES = ["new", "replied", "pending", "resolved", "closed", "open", "on_hold", "replied"]


def _user(email: str, name: str, language: str) -> User:
    user, _ = User.objects.get_or_create(email=email, defaults={"name": name, "language": language})
    user.name, user.language = name, language
    user.set_password(PASSWORD)
    user.save()
    return user


def seed_people() -> None:
    teams = {t.code: t for t in Team.objects.all()}
    for email, code, name, role, team_codes, languages, skills in STAFF:
        user = _user(email, name, "zh-hans" if languages[0] == "zh" else "en")
        user.is_staff = user.is_superuser = role == "admin"
        user.save()
        agent, _ = Agent.objects.update_or_create(
            user=user,
            defaults={"code": code, "role": role, "languages": languages, "skills": skills},
        )
        agent.teams.set([teams[c] for c in team_codes])
    lead = Agent.objects.get(code="L1001")
    Team.objects.filter(code__in=STAFF[1][4]).update(lead=lead)
    for team_code, agent_code in ESCALATION_LEADS:
        Team.objects.filter(code=team_code).update(lead=Agent.objects.get(code=agent_code))
    for purpose, address, queue in MAILBOXES:
        Mailbox.objects.update_or_create(
            code=purpose, defaults={"address": address, "team": teams[queue] if queue else None}
        )
    for code, name, kind, tier, gmv, phone in ORGANIZATIONS:
        Organization.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "tier": tier, "gmv_usd": Decimal(gmv),
                      "phone": phone, "account_manager": lead if tier == "key_account" else None},
        )  # fmt: skip
    for email, name, org_code, is_main, scopes, language in CUSTOMERS:
        user = _user(email, name, language)
        Account.objects.update_or_create(
            user=user,
            defaults={"organization": Organization.objects.get(code=org_code),
                      "is_main": is_main, "scopes": scopes},
        )  # fmt: skip


def _live(ticket: Ticket, story: str, agent: Viewer, customer: Viewer, reply: str) -> None:
    """Move a fresh ticket along a typical path so the demo shows every state."""
    if story == "new":
        return
    actions.update_ticket(ticket=ticket, actor=agent, changes={"assignee": agent.agent})
    answer = reply or (
        "我们已收到，正在处理。" if ticket.language == "zh" else "Thanks, we're on it."
    )
    actions.add_message(ticket=ticket, actor=agent, body=answer)
    if story == "replied":
        return
    if story == "open":
        actions.add_message(
            ticket=ticket, actor=agent, internal=True, body="Checked with the warehouse; waiting."
        )
        return
    target = {
        "pending": Status.PENDING_CUSTOMER,
        "on_hold": Status.ON_HOLD,
        "resolved": Status.RESOLVED,
        "closed": Status.RESOLVED,
    }[story]
    actions.change_status(ticket=ticket, actor=agent, status=target)
    if story == "closed":
        actions.change_status(ticket=ticket, actor=customer, status=Status.CLOSED)


def seed_tickets() -> int:
    orgs = Organization.objects.filter(code__in=[o[0] for o in ORGANIZATIONS])
    if Ticket.objects.filter(organization__in=orgs).exists():
        return 0
    categories = {c.code: c for c in Category.objects.all()}
    plan = [("buyer@example.com", s) for s in ZH] + [("merchant@example.com", s) for s in ZH]
    plan += [("ops@pacificbridge.example", s) for s in EN]
    plan += [("warehouse@pacificbridge.example", s) for s in EN if s.order_id]
    plan += [("buyer.sub@example.com", s) for s in ZH if s.order_id]
    now = timezone.now()
    for index, (email, scenario) in enumerate(plan):
        _create_story(index, email, scenario, categories[scenario.category], now)
    return len(plan)


def _create_story(index: int, email: str, scenario: Scenario, category: Category, now) -> None:  # type: ignore[no-untyped-def]
    requester = User.objects.select_related("account__organization").get(email=email)
    customer = viewer_for(requester)
    team = category.team
    agent_model = (team.agents.exclude(role="qa").first() if team else None) or Agent.objects.get(
        code="L1001"
    )
    agent = viewer_for(agent_model.user)
    ticket = actions.create_ticket(
        actor=SYSTEM,
        requester=requester,
        organization=requester.account.organization,
        subject=scenario.subject,
        body=scenario.body,
        channel=[Channel.WEB, Channel.EMAIL, Channel.API, Channel.CHAT][index % 4],
        category=category,
        priority=scenario.priority,
        language=requester.lang,
        order_id=scenario.order_id,
        error_code=scenario.error_code,
        desired_outcome=scenario.want,
        created_at=now - timedelta(hours=3 * (len(ZH) * 2 + len(EN) * 2 - index)),
    )
    _live(ticket, STORIES[index % len(STORIES)], agent, customer, scenario.reply)


def seed_wechat() -> None:
    """The Official Account of the shared vectors' example (Token AAAAA), in compatible mode so
    that plaintext pushes signed with the Token can be tried with curl (README). No AppSecret:
    replies go out only once a real account's secret is set."""
    WechatAccount.objects.update_or_create(
        code="demo",
        defaults={"name": "Kefu 客服 (demo)", "app_id": "wxba5fad812f8e6fb9", "token": "AAAAA",
                  "encoding_aes_key": "A" * 43, "mode": WechatAccount.Mode.COMPATIBLE},
    )  # fmt: skip


# The merchant hotline of the README's curl walk-through (issue #15's demo values).
DEMO_HOTLINE = {"code": "merchant", "kind": "merchant", "name": "商家热线", "number": "+864008001234",
                "secret": "kefu-demo-voice"}  # fmt: skip


@transaction.atomic
def load_demo() -> int:
    from kefu.intake.phone.defaults import install_hotline

    seed_people()
    seed_wechat()
    install_hotline(**DEMO_HOTLINE)
    return seed_tickets()
