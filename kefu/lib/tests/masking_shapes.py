"""Real-world shapes of sensitive numbers, shared by the masking tests (the pure function, and the
intake pipeline writing rows, raw files and outbound mail).

Each shape: the text as a customer types it, the secret that must not survive (ASCII digits and
letters, as a check strips spaces and dashes and folds full-width forms), and the kind found.
"""

from __future__ import annotations

from kefu.lib.masking import MaskKind

K = MaskKind

SHAPES: list[tuple[str, str, MaskKind]] = [
    # bank cards: full-width, spaced, dashed, ideographic spaces, 4-6-5
    ("卡号 ６２２２ ０２１２ ３４５６ ７８９４，请退款", "6222021234567894", K.BANK_CARD),
    ("卡号：６２２２－０２１２－３４５６－７８９４", "6222021234567894", K.BANK_CARD),
    ("卡号 6222　0212　3456　7894 退款", "6222021234567894", K.BANK_CARD),
    ("card 4111 1111 1111 1111 was charged twice", "4111111111111111", K.BANK_CARD),
    ("card 4111-1111-1111-1111 ok", "4111111111111111", K.BANK_CARD),
    ("信用卡5555555555554444还款失败", "5555555555554444", K.BANK_CARD),
    ("Amex 3782 822463 10005 declined", "378282246310005", K.BANK_CARD),
    # PRC resident IDs: 18 (checksum, X), full-width, spaced, 15 digits
    ("身份证 11010519491231002X 已上传", "11010519491231002X", K.ID_NUMBER),
    ("身份证号：１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", K.ID_NUMBER),
    ("ID 110105 19491231 002X attached", "11010519491231002X", K.ID_NUMBER),
    ("老身份证 110105491231002 能用吗", "110105491231002", K.ID_NUMBER),
    # card security codes
    ("CVV 917", "917", K.CVV),
    ("cvv2: 4681", "4681", K.CVV),
    ("CVC码是739", "739", K.CVV),
    ("卡背面三位数 852", "852", K.CVV),
    ("安全码：０５６", "056", K.CVV),
    ("the security code 842 on the back", "842", K.CVV),
    # verification codes, Chinese and English, keyword before or after
    ("code 551177", "551177", K.VERIFICATION_CODE),
    ("验证码 604218", "604218", K.VERIFICATION_CODE),
    ("校验码：7788", "7788", K.VERIFICATION_CODE),
    ("动态码390144请查收", "390144", K.VERIFICATION_CODE),
    ("Your verification code is 482913.", "482913", K.VERIFICATION_CODE),
    ("OTP=663311", "663311", K.VERIFICATION_CODE),
    ("one-time password: 909090", "909090", K.VERIFICATION_CODE),
    ("【银行】318806是您的验证码，请勿泄露", "318806", K.VERIFICATION_CODE),
    ("427391 is your login code", "427391", K.VERIFICATION_CODE),
    ("短信验证码为：５５２２３３", "552233", K.VERIFICATION_CODE),
    # phone numbers: US, international, mainland mobile and landline
    ("call +1 (415) 555-0134 after 5pm", "4155550134", K.PHONE),
    ("office 415-555-0177", "4155550177", K.PHONE),
    ("reach me at (646) 555-0199", "6465550199", K.PHONE),
    ("fax 212.555.0148", "2125550148", K.PHONE),
    ("London desk +44 20 7946 0958", "2079460958", K.PHONE),
    ("Berlin +49 30 9018 2277", "3090182277", K.PHONE),
    ("mobile +86 138 0013 8000", "13800138000", K.MOBILE),
    ("手机 13800138000", "13800138000", K.MOBILE),
    ("手机：１３９－１２３４－５６７８", "13912345678", K.MOBILE),
    ("电话 010-62345678 转 8", "62345678", K.PHONE),
    # passports
    ("护照号 E12345678", "E12345678", K.PASSPORT),
    ("护照号码：Ｇ１２３４５６７８", "G12345678", K.PASSPORT),
    ("passport no. E87654321", "E87654321", K.PASSPORT),
    ("Passport number: 561234987", "561234987", K.PASSPORT),
    # IBANs and bank accounts
    ("IBAN DE89 3704 0044 0532 0130 00 please", "DE89370400440532013000", K.IBAN),
    ("pay to GB82WEST12345698765432", "GB82WEST12345698765432", K.IBAN),
    ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606", K.IBAN),
    ("银行账号：3100 4422 9087 1236 55", "310044229087123655", K.BANK_ACCOUNT),
    ("对公账户 110104020000123456", "110104020000123456", K.BANK_ACCOUNT),
    ("account no. 000123456789", "000123456789", K.BANK_ACCOUNT),
    ("acct #: 9876543210", "9876543210", K.BANK_ACCOUNT),
    # passwords, full-width too
    ("密码：Ａｂｃ１２３４５", "Abc12345", K.PASSWORD),
    ("my password is Tr0ub4dor&3", "Tr0ub4dor&3", K.PASSWORD),
]

# Look-alikes that must stay exactly as typed.
LOOK_ALIKES: list[str] = [
    "订单 PO-2026-0001 没发货",
    "工单 KF20261123001 已处理",
    "运单 SF1234567890 一周没有轨迹",
    "tracking 1Z999AA10123456784",
    "container MSKU1234567, shipment YT2026112300001",
    "错误码 AE-ERR-403，HTTP 500",
    "error code 5001 on checkout",
    "zip code 94105",
    "promo code 2026 expired",
    "日期 2026-11-23，2026/11/23，2026年11月23日，23.11.2026",
    "at 09:00-18:00 on 2026-11-23 10:15:00",
    "金额 ¥12,345.67，USD 1,234,567.89，￥１２，３４５",
    "订单号 4111111111111111",
    "订单 202511071234567890 没发货",
    "invoice number 4111111111111111",
    "SKU 100234567, qty 200 300 1000",
    "server 192.168.100.200 version 2.3.4",
    "8888888888888888 is Luhn-valid but no card issuer starts with 8",
    "身份证 110105194912310022 wrong check digit",
    "12345678901 is not a mobile (starts with 12)",
    "the password is wrong",
    "验证码收不到",
    "OTP expired",
    "barcode 12345678 on the label",
    "invoice INV-3310, ref PB-2291",
]
