"""The policy document as ordinary admin forms: no JSON, no YAML.

`DocumentEditor` holds one small form per section, a formset of windows per day
type, a formset of prizes and a formset of condition rules (each with its own
formset of conditions). It assembles the document data for
`versions.edit_draft`, and puts each error that validation reports back at the
field its path names.
"""

import copy
import re
from collections import defaultdict

from django import forms
from django.utils.translation import gettext_lazy as _

from . import labels, rule_terms, texts
from .document import SLOT_FIELDS, Cases, Category, Comments, Contributions, DayType, ErrorKind, Records, Review
from .form_errors import place_error

TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
RECORDS_DEFAULTS = Records().model_dump(mode="json")  # for documents stored before the section existed
COMMENTS_DEFAULTS = Comments().model_dump(mode="json")  # likewise
CASES_DEFAULTS = Cases().model_dump(mode="json")  # likewise
CONTRIBUTIONS_DEFAULTS = Contributions().model_dump(mode="json")  # likewise
REVIEW_DEFAULTS = Review().model_dump(mode="json")  # likewise
KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _number(label, help_text="", decimal=False):
    if decimal:
        return forms.FloatField(label=label, help_text=help_text, widget=forms.NumberInput(attrs={"step": "any"}))
    return forms.IntegerField(label=label, help_text=help_text)


def _choices(enum, names):
    return [(member.value, names.get(member.value, member.value)) for member in enum]


def _checkboxes(label, choices, help_text=""):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class ScheduleForm(forms.Form):
    breaking_exempt = forms.BooleanField(label=_("Breaking news may go out at any time (A11.1)"), required=False)
    lead_hours = _number(_("Hours material must reach the office before its push (A16)"), decimal=True)
    min_pushes_per_working_day = _number(_("Pushes required on every working day (A11.1)"))
    max_articles_per_push = _number(_("Most articles in one push (WeChat allows 8)"))
    breaking_when_mass_used = forms.ChoiceField(
        label=_("Breaking news when the day's mass send is used (A11.1)"),
        choices=[
            ("publish", _("Publish at once without notifying followers")),
            ("wait", _("Wait for the next mass send")),
        ],
    )
    weekend_day_types = _checkboxes(_("Day types counted as weekend (A10.3)"), _choices(DayType, labels.DAY_TYPES))
    weekend_categories = _checkboxes(
        _("Categories expected at weekends (A10.3, a warning)"), _choices(Category, labels.CATEGORIES)
    )


class DayWindowsForm(forms.Form):
    no_fixed_window = forms.BooleanField(label=_("No fixed window: pushes at any time (A11.3)"), required=False)


class WindowForm(forms.Form):
    start = forms.TimeField(label=_("From"), widget=TIME)
    end = forms.TimeField(label=_("Until (not included)"), widget=TIME)


WindowFormSet = forms.formset_factory(WindowForm, extra=1, can_delete=True)


class QuotasForm(forms.Form):
    min_per_week = _number(_("Submissions each department provides every week (A8)"))
    min_per_semester = _number(_("Submissions each department provides every semester (A8)"))
    shortfall_share_change = _number(
        _("Change to the share of excellent ratings for a department below quota, in points (A22)")
    )
    surplus_ratio = _number(
        _("A department pushing this many times its quota counts as pushing more (A22)"), decimal=True
    )
    surplus_share_change = _number(_("Change to the share of excellent ratings for pushing more, in points (A22)"))


class RewardsForm(forms.Form):
    points_per_accepted = _number(_("Points for each accepted student submission (A17.1)"))
    points_cap = _number(_("Most points a student earns in a semester (A17.1)"))
    staff_certificates = _number(_("Certificates for the staff with most published submissions (A18)"))


class PrizeForm(forms.Form):
    name = forms.ChoiceField(label=_("Prize"), choices=list(labels.PRIZES.items()), initial="first")
    points = _number(_("Points"))
    winners = _number(_("Winners"))


PrizeFormSet = forms.formset_factory(PrizeForm, extra=0, can_delete=True, max_num=3)


class DisciplineForm(forms.Form):
    counted_kinds = _checkboxes(
        _("Errors that count against a department (A20)"), _choices(ErrorKind, labels.ERROR_KINDS)
    )
    warning_at = _number(_("Errors in a semester at which the department head is warned (A20)"))
    escalation_at = _number(_("Errors in a semester at which the supervising leader is involved (A20)"))


class CredentialsForm(forms.Form):
    max_holders = _number(_("Most people who may hold the account credentials (A6.6.1)"))


class ContentForm(forms.Form):
    title_recommended_max = _number(_("Recommended longest title, in characters (A10.1, a warning)"))
    repost_requires_source = forms.BooleanField(label=_("A repost must name its source (A6.3.3)"), required=False)
    credits_required = forms.BooleanField(
        label=_("Editor, photographer and layout credits are required (A6.3.2)"), required=False
    )


class RecordsForm(forms.Form):
    retention_days = _number(
        _("Days follower activity records are kept (A14)"),
        _("Between 30 and 3650. Older records are removed daily, and each removal is recorded."),
    )


class ContributionsForm(forms.Form):
    status_link_days = _number(
        _("Days a contributor's private status link works after the final decision (A6.2.5)"),
        _("Between 1 and 3650, counted from publication or the end of the review; the link then stops working."),
    )


class ReviewForm(forms.Form):
    stalled_after_working_days = _number(
        _("Working days material may wait at one review stage before it is flagged (A6.2)"),
        _("Between 1 and 30 working days of the calendar. Late material is flagged to the office and its reviewers."),
    )


class CommentsForm(forms.Form):
    flag_words = forms.CharField(
        label=_("Words that flag a comment (A13)"),
        help_text=_("One word or phrase a line. A comment containing any of them is shown flagged to moderators."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def clean_flag_words(self):
        """One entry a line; empty lines are skipped, repeats kept once."""
        words = [line.strip() for line in self.cleaned_data["flag_words"].splitlines()]
        return list(dict.fromkeys(word for word in words if word))


class CasesForm(forms.Form):
    report_deadline_hours = _number(
        _("Hours to handle a report before it is escalated (A6.5.2)"),
        _("Between 1 and 720. A late report is escalated to the office head."),
    )
    error_deadline_hours = _number(
        _("Hours to handle a system error before it is escalated (A6.5.1)"),
        _("Between 1 and 720. A late system error is escalated to the channel administrators and the office head."),
    )
    report_keywords = forms.CharField(
        label=_("Keywords that make a follower's message a report (A6.5.2)"),
        help_text=_("Separated by spaces or commas; 1 to 20 words of at most 20 characters each."),
        max_length=500,
        required=False,
    )

    def clean_report_keywords(self):
        """Words separated by spaces, commas or 、; repeats kept once. The document checks the bounds."""
        words = KEYWORD_SEPARATORS.split(self.cleaned_data["report_keywords"])
        return list(dict.fromkeys(word for word in words if word))


class RuleForm(forms.Form):
    id = forms.CharField(
        label=_("Rule name"),
        required=False,
        max_length=40,
        help_text=_("Lower-case letters, digits and _; left empty, one is made up."),
    )
    then = forms.ChoiceField(label=_("Then"), choices=list(labels.RULE_VERDICTS.items()), initial="block")
    message = forms.CharField(label=_("Message shown"), required=False, max_length=200)


class ConditionForm(forms.Form):
    """One condition in human terms: a weekday by name, a time as HH:MM, a choice by name (rule_terms converts)."""

    # A blank extra row shows "——" for its subject, not a condition: a row that showed 日期类型 是 工作日 looked like
    # one, yet counted as unchanged and was dropped on save (the rule then held every day).
    field = forms.ChoiceField(
        label=_("When"),
        choices=[("", rule_terms.BLANK), *((name, labels.SLOT_FIELDS.get(name, name)) for name in SLOT_FIELDS)],
        required=False,
    )
    op = forms.ChoiceField(label=_("is"), choices=list(rule_terms.OPERATOR_WORDS.items()), initial="eq")
    value = forms.CharField(label=_("Value"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.data.get(self.add_prefix("field")) if self.is_bound else None
        field = field if field in SLOT_FIELDS else self.initial.get("field", "")
        self.fields["value"].widget = rule_terms.value_widget(field)
        self.fields["value"].widget.attrs["data-condition-value"] = rule_terms.kind_of(field)
        if "value" not in self.initial:  # a blank row, or one whose subject was just chosen: the first option
            self.fields["value"].initial = rule_terms.default_value(field)

    def clean(self):
        data = super().clean()
        if not data.get("field"):  # a row that was changed (a blank one unchanged is skipped before this)
            self.add_error("field", _("Choose what the condition is about."))
        elif data.get("value") is not None and "value" not in self.errors:
            try:
                data["value"] = rule_terms.parse(data["field"], data["value"])
            except ValueError as error:
                self.add_error("value", str(error))
        return data


RuleFormSet = forms.formset_factory(RuleForm, extra=1, can_delete=True)
ConditionFormSet = forms.formset_factory(ConditionForm, extra=2, can_delete=True, max_num=8)


class NoteForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DocumentEditor:
    """Every section of one document as forms; `document_data()` after `is_valid()`."""

    def __init__(self, document, data=None, change_note=""):
        self.original = copy.deepcopy(document)
        self.general_errors = []
        self.section_errors = defaultdict(list)  # "windows", "windows-<day type>", "prizes", "conditions"
        d, bound = document, data
        schedule, quotas, rewards = d["schedule"], d["quotas"], d["rewards"]
        self.schedule = ScheduleForm(bound, prefix="schedule", initial=schedule)
        self.days = []
        for day_type in DayType:
            windows = schedule["windows"].get(day_type.value)
            self.days.append(
                {
                    "day_type": day_type.value,
                    "label": labels.DAY_TYPES[day_type.value],
                    "form": DayWindowsForm(
                        bound, prefix=f"day-{day_type.value}", initial={"no_fixed_window": windows is None}
                    ),
                    "windows": WindowFormSet(bound, prefix=f"windows-{day_type.value}", initial=windows or []),
                    "errors": self.section_errors[f"windows-{day_type.value}"],
                }
            )
        self.quotas = QuotasForm(bound, prefix="quotas", initial={**quotas, **quotas["assessment"]})
        self.rewards = RewardsForm(bound, prefix="rewards", initial=rewards)
        self.prizes = PrizeFormSet(bound, prefix="prizes", initial=rewards["prizes"])
        self.discipline = DisciplineForm(bound, prefix="discipline", initial=d["discipline"])
        self.credentials = CredentialsForm(bound, prefix="credentials", initial=d["credentials"])
        self.content = ContentForm(bound, prefix="content", initial=d["content"])
        self.records = RecordsForm(bound, prefix="records", initial=d.get("records") or RECORDS_DEFAULTS)
        comments = d.get("comments") or COMMENTS_DEFAULTS
        self.comments = CommentsForm(
            bound, prefix="comments", initial={"flag_words": "\n".join(comments["flag_words"])}
        )
        cases = d.get("cases") or CASES_DEFAULTS
        self.cases = CasesForm(
            bound, prefix="cases", initial={**cases, "report_keywords": " ".join(cases["report_keywords"])}
        )
        self.contributions = ContributionsForm(
            bound, prefix="contributions", initial=d.get("contributions") or CONTRIBUTIONS_DEFAULTS
        )
        self.review = ReviewForm(bound, prefix="review", initial=d.get("review") or REVIEW_DEFAULTS)
        rules = d["conditions"]
        self.rules = RuleFormSet(
            bound,
            prefix="rules",
            initial=[{"id": rule["id"], "then": rule["then"], "message": rule["message"]} for rule in rules],
        )
        for index, form in enumerate(self.rules.forms):
            when = rules[index]["when"] if index < len(rules) else []
            form.conditions = ConditionFormSet(
                bound,
                prefix=f"rules-{index}-when",
                initial=[
                    {**condition, "value": rule_terms.shown(condition["field"], condition["value"])}
                    for condition in when
                ],
            )
            form.sentence = rule_terms.rule_sentence(rules[index]) if index < len(rules) else ""
        self.note = NoteForm(bound, prefix="note", initial={"change_note": change_note})

    def forms(self):
        yield from (self.schedule, self.quotas, self.rewards, self.discipline, self.credentials, self.content)
        yield self.records
        yield self.comments
        yield self.cases
        yield from (self.contributions, self.review, self.note)
        for day in self.days:
            yield day["form"]
            yield day["windows"]
        yield self.prizes
        yield self.rules
        for form in self.rules.forms:
            yield form.conditions

    def is_valid(self):
        return all([form.is_valid() for form in self.forms()])  # a list: every form shows its errors

    @property
    def change_note(self):
        return self.note.cleaned_data["change_note"]

    def document_data(self):
        """The document the forms describe, over the original (its scope, schema version and fixed ranking)."""
        data = copy.deepcopy(self.original)
        schedule = {**data["schedule"], **self.schedule.cleaned_data, "windows": {}}
        self._windows = {}
        for day in self.days:
            kept = _kept(day["windows"])
            self._windows[day["day_type"]] = kept
            schedule["windows"][day["day_type"]] = (
                None
                if day["form"].cleaned_data["no_fixed_window"]
                else [
                    {"start": f"{form.cleaned_data['start']:%H:%M}", "end": f"{form.cleaned_data['end']:%H:%M}"}
                    for form in kept
                ]
            )
        data["schedule"] = schedule
        quotas = dict(self.quotas.cleaned_data)
        assessment = {name: quotas.pop(name) for name in data["quotas"]["assessment"]}
        data["quotas"] = {**data["quotas"], **quotas, "assessment": assessment}
        self._prizes = _kept(self.prizes)
        data["rewards"] = {
            **data["rewards"],
            **self.rewards.cleaned_data,
            "prizes": [
                {name: form.cleaned_data[name] for name in ("name", "points", "winners")} for form in self._prizes
            ],
        }
        for section in ("discipline", "credentials", "content"):
            data[section] = {**data[section], **getattr(self, section).cleaned_data}
        data["records"] = {**(data.get("records") or RECORDS_DEFAULTS), **self.records.cleaned_data}
        data["comments"] = {**(data.get("comments") or COMMENTS_DEFAULTS), **self.comments.cleaned_data}
        data["cases"] = {**(data.get("cases") or CASES_DEFAULTS), **self.cases.cleaned_data}
        data["contributions"] = {
            **(data.get("contributions") or CONTRIBUTIONS_DEFAULTS),
            **self.contributions.cleaned_data,
        }
        data["review"] = {**(data.get("review") or REVIEW_DEFAULTS), **self.review.cleaned_data}
        data["conditions"] = self._conditions()
        return data

    def _conditions(self):
        self._rules, rules = [], []
        taken = {form.cleaned_data.get("id") for form in self.rules.forms}
        for form in self.rules.forms:
            data, conditions = form.cleaned_data, _kept(form.conditions)
            if data.get("DELETE") or not (data.get("id") or data.get("message") or conditions):
                continue  # a deleted rule, or the blank row for a new one
            rule_id = data.get("id") or _new_id(taken)
            taken.add(rule_id)
            self._rules.append((form, conditions))
            rules.append(
                {
                    "id": rule_id,
                    "when": [
                        {
                            "field": c.cleaned_data["field"],
                            "op": c.cleaned_data["op"],
                            "value": c.cleaned_data["value"],
                        }
                        for c in conditions
                    ],
                    "then": data.get("then") or form.fields["then"].initial,
                    "message": data.get("message", ""),
                }
            )
        return rules

    def add_document_errors(self, errors):
        """Put each error at the field it names (the problem alone), else at its section, else at the top (with what
        it is about, in the form's words)."""
        for error in errors:
            if not place_error(self, error):
                self.general_errors.append(texts.error_text(error, SECTION_FORMS))

    def value_inputs(self):
        """[(kind, html)]: the input of a condition's value for each kind, which the page swaps in when a row's
        "When" changes (conditions.js); "__name__" stands for the row's field name."""
        kinds = {rule_terms.kind_of(field): field for field in ("", *SLOT_FIELDS)}
        return [
            (
                kind,
                rule_terms.value_widget(field).render(
                    "__name__", rule_terms.default_value(field), {"data-condition-value": kind}
                ),
            )
            for kind, field in kinds.items()
        ]

    def section(self, name, message):
        self.section_errors[name].append(message)
        return True


def _kept(formset):
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _new_id(taken):
    number = 1
    while f"rule_{number}" in taken:
        number += 1
    return f"rule_{number}"


# The form class that labels each part of the document, for naming an error's subject (texts.subject).
SECTION_FORMS = {
    "schedule": ScheduleForm,
    "quotas": QuotasForm,
    "rewards": RewardsForm,
    "prize": PrizeForm,
    "discipline": DisciplineForm,
    "credentials": CredentialsForm,
    "content": ContentForm,
    "records": RecordsForm,
    "comments": CommentsForm,
    "cases": CasesForm,
    "contributions": ContributionsForm,
    "review": ReviewForm,
    "rule": RuleForm,
    "condition": ConditionForm,
}
