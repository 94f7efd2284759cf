from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from accounts import province, services
from accounts.models import APPLICANT_KINDS, CERTIFIABLE_KINDS, Organisation, OrgKind, ProvinceProfile, User
from accounts.province import EDITABLE as EDITABLE_PROFILE_FIELDS
from accounts.validators import normalise_credit_code, normalise_resident_id
from geodata.models import Region
from mapsite import uploads


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name()


class _IdentityCleaning:
    def clean_credit_code(self):
        value = self.cleaned_data.get("credit_code", "")
        if not value:
            return value
        code = normalise_credit_code(value)
        clash = Organisation.objects.filter(credit_code=code)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError("该统一社会信用代码已注册。")
        return code

    def clean_resident_id(self):
        value = self.cleaned_data.get("resident_id", "")
        return normalise_resident_id(value) if value else value


class ZoneChoiceField(forms.ModelChoiceField):
    """The high-tech zones (their authority organisations), by city."""

    def __init__(self, **kwargs):
        queryset = Organisation.objects.filter(kind="bureau").exclude(zone_level="").select_related("region__parent")
        super().__init__(
            queryset=queryset.order_by("region_id", "name"),
            required=False,
            label="所在高新区（如有）",
            help_text="在省级以上高新区内的单位，由高新区科技主管部门审核",
            **kwargs,
        )

    def label_from_instance(self, obj):
        city = obj.region.parent.name if obj.region and obj.region.parent else ""
        return f"{city} {obj.name}".strip()


class RegistrationForm(_IdentityCleaning, forms.Form):
    username = forms.RegexField(label="用户名", regex=r"^[\w.@+-]{3,150}$")
    password = forms.CharField(label="密码", widget=forms.PasswordInput, min_length=8)
    email = forms.EmailField(label="邮箱")
    kind = forms.ChoiceField(label="主体类型", choices=[(k.value, k.label) for k in CERTIFIABLE_KINDS])
    name = forms.CharField(label="单位/个人名称", max_length=128)
    credit_code = forms.CharField(label="统一社会信用代码", required=False, max_length=32)
    resident_id = forms.CharField(label="身份证号（个人/团队）", required=False, max_length=32)
    region = CountyChoiceField(
        label="所在区县", queryset=Region.objects.counties().select_related("parent"), required=False
    )
    zone = ZoneChoiceField()
    registered_address = forms.CharField(label="注册地址", required=False, max_length=255)
    contact_name = forms.CharField(label="联系人", required=False, max_length=64)
    contact_phone = forms.CharField(label="联系电话", required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["zone"].queryset.exists():
            del self.fields["zone"]  # a province without high-tech zone authorities

    def clean_username(self):
        value = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError("该用户名已被使用。")
        return value


class OrganisationForm(_IdentityCleaning, forms.ModelForm):
    region = CountyChoiceField(
        label="所在区县", queryset=Region.objects.counties().select_related("parent"), required=False
    )
    zone = ZoneChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["zone"].queryset.exists() or self.instance.kind not in APPLICANT_KINDS:
            del self.fields["zone"]
        if self.instance.kind == OrgKind.INDIVIDUAL:
            del self.fields["founded_on"]  # a person or team has no founding date

    class Meta:
        model = Organisation
        fields = services.EDITABLE_FIELDS
        widgets = {
            # ISO dates: a date input takes no other (the zh-hans input format is 2015/06/18).
            "qualification_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class FoundedOnForm(forms.Form):
    """A certified organisation adds the founding date its record lacks
    (``services.founding_date_record``: once, never overwriting)."""

    founded_on = forms.DateField(
        label="注册成立时间",
        help_text="以营业执照为准；保存后记入单位信息，不能自行修改。",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class LicenceForm(forms.Form):
    licence = forms.FileField(label="营业执照/证明文件（PDF 或图片）")

    def clean_licence(self):
        upload = self.cleaned_data["licence"]
        uploads.check(upload, kind=uploads.DOCUMENT)
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见",
        choices=[("approve", "通过"), ("return", "退回"), ("experts", "提交专家评审")],
    )
    note = forms.CharField(label="说明/退回原因", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class NameChangeForm(forms.Form):
    new_name = forms.CharField(label="新名称", max_length=128)


class ScoreForm(forms.Form):
    score = forms.IntegerField(label="评分（0–100）", min_value=0, max_value=100)
    comment = forms.CharField(label="评审意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BankAccountForm(forms.Form):
    """The payee bank account; the checks are the service's (accounts.services.bank_account_save)."""

    bank_name = forms.CharField(label="开户银行", max_length=64)
    bank_code = forms.CharField(label="开户行行号", max_length=20, help_text="12 位支付系统行号（联行号）")
    account_name = forms.CharField(label="账户名称", max_length=128, help_text="须与本单位名称一致")
    account_number = forms.CharField(
        label="银行账号", max_length=40, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The example names the deployment's province (中国工商银行浙江分行营业部), not Ningxia's
        # capital: the profile knows the province, not its capital city.
        self.fields["bank_name"].help_text = f"如：中国工商银行{province.current().short_name}分行营业部"


class ProvinceProfileForm(forms.ModelForm):
    """What the centre edits of the deployment's province profile (accounts.province.EDITABLE)."""

    class Meta:
        model = ProvinceProfile
        fields = list(EDITABLE_PROFILE_FIELDS)
        widgets = {"pledge_items": forms.Textarea(attrs={"rows": 9})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's examples are Ningxia's (and Henan's): give the deployment's own shipped
        # or derived wording as the example instead.
        example = province.defaults_for(self.instance.adcode) if self.instance.adcode else None
        if example is None:
            return
        short, word = example["short_name"], example["region_word"]
        helps = {
            "province_name": f"如：{example['province_name']}",
            "short_name": f"如：{short}；用于“{short}全{word}”“{short}境内”",
            "department_name": f"如：{example['department_name']}",
            "centre_name": f"如：{example['centre_name']}",
            "rules_title": f"写入承诺书和合同，如：{example['rules_title']}",
            "mail_subject": f"如：{example['mail_subject']}",
        }
        for name, text in helps.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def clean_number_prefix(self):
        return self.cleaned_data["number_prefix"].strip().upper()
