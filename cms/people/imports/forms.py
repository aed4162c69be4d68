"""The upload form of the people import: one file, refused past the size cap before it is read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.people.imports.files import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "First row: 姓名, 工号/学号, 类别 (学生/教职工), 科室, 角色, 邮箱, 电话; optionally 分管科室. "
            "Without 类别, head the number column 工号 or 学号, or write 学生 or 教职工 in 角色. "
            "Nothing changes until you confirm the preview."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: split it, or remove unused sheets and pictures.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload.read(MAX_BYTES + 1)
