"""A few public articles per province (政策文件, 办事指南, 通知公告), written by the centre
through ``portal.services.article_save``. The wording is generic and takes every name from the
province profile, so the four seed provinces (and any other) read their own names."""

from __future__ import annotations

import datetime as dt

from accounts import province as province_profile
from accounts.models import User
from portal.models import ArticleKind
from portal.services import article_save


def articles_for(profile, today: dt.date) -> list[dict]:
    year = today.year
    voucher = profile.voucher_name
    return [
        {
            "kind": ArticleKind.POLICY,
            "title": profile.rules_title,
            "summary": f"{voucher}的支持范围、补助标准、申领与兑付流程。",
            "body": (
                f"## 总则\n\n{profile.platform_name}面向{profile.short_name}创新主体发放{voucher}，"
                "用于购买服务机构提供的检验检测、分析测试、设计、技术转移等科技服务。\n\n"
                "## 支持范围\n\n- 委托检验检测、动物实验、分析测试\n- 设计、模具开发\n- 技术成果购买、"
                "培训咨询、科技查新、成果评价、知识产权服务\n- 孵化服务\n\n"
                f"## 管理\n\n{profile.department_name}负责政策制定，{profile.centre_name}负责审定和拨付，"
                f"{profile.operator_name}负责平台运营。{voucher}不得转让、赠送，不得拆分合同套取补助。"
            ),
            "published_on": dt.date(year, 1, 15) if today >= dt.date(year, 1, 15) else today,
        },
        {
            "kind": ArticleKind.GUIDE,
            "title": f"{voucher}申领与使用办事指南",
            "summary": "从注册认证到兑付的每一步。",
            "body": (
                "1. **注册认证**：在平台注册并上传营业执照，由注册地科技主管部门审核。\n"
                "2. **查找服务**：在创新地图上按地区、类别、价格查找仪器设备和技术服务，在线预约。\n"
                f"3. **申领{voucher}**：预约受理后，在“创新券合同”中由预约生成合同，签署诚信承诺，"
                "下载合同盖章后上传扫描件并提交审核。\n"
                "4. **使用与证明**：服务完成后按时上传发票、付款凭证和成果证明，并评价服务机构。\n"
                "5. **兑付**：收款方提交兑付申请，审核确认后纳入拨付批次，公示期满后拨付。"
            ),
            "published_on": today - dt.timedelta(days=40),
        },
        {
            "kind": ArticleKind.GUIDE,
            "title": "服务机构入库办事指南",
            "summary": "高校、科研院所、检验检测机构申请入库的条件和材料。",
            "body": (
                "符合直接入库条件的机构（国家级、省级创新平台，孵化器，法定检验检测机构等）提交证明材料后直接入库；"
                "其他机构须具备不少于 10 名服务人员、必要的场地设施和管理制度，经专家评审后入库。\n\n"
                "入库后请在“目录管理”中维护机构位置、仪器设备和服务项目，新增和修改的条目经运营单位审核后公开。"
            ),
            "published_on": today - dt.timedelta(days=30),
        },
        {
            "kind": ArticleKind.NOTICE,
            "title": f"关于开展{year}年度{voucher}兑付工作的通知",
            "summary": "兑付申请的时间安排和材料要求。",
            "body": (
                f"各有关单位：\n\n{year}年度{voucher}兑付工作现已开始。请收款单位在平台“兑付申请”中提交申请，"
                "运营单位在规定工作日内完成材料审核，审核结果通过站内消息和邮件通知。\n\n"
                f"拨付名单在平台“拨付公示”栏目公示，公示期内如有异议，请登录后提出。\n\n{profile.centre_name}"
            ),
            "published_on": today - dt.timedelta(days=7),
        },
    ]


def seed_articles(today: dt.date) -> int:
    """Publish the articles as ``centre1``; returns how many."""
    centre = User.objects.get(username="centre1")
    profile = province_profile.current()
    for data in articles_for(profile, today):
        article_save(by=centre, data={**data, "published": True})
    return len(articles_for(profile, today))
