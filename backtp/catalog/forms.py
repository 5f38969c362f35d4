from typing import Any, cast

from django import forms

from backtp.catalog import caching, search
from backtp.catalog.selectors import region_part_choices, used_tool_choices


class MuscleFilterForm(forms.Form):
    tool = forms.ChoiceField(required=False, label="Tool")
    region = forms.ChoiceField(required=False, label="Where it hurts")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tools, regions = caching.cached("filter-choices", _choices)
        self.tool_names, self.region_names = dict(tools), dict(regions)
        cast(forms.ChoiceField, self.fields["tool"]).choices = [("", "Any tool"), *tools]
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", "Anywhere"), *regions]

    def describe(self) -> str:
        """The active filters in words, for the results heading."""
        if not self.is_valid():
            return ""
        bits = []
        if region := self.cleaned_data["region"]:
            bits.append(f"that can send pain to the {self.region_names[region].lower()}")
        if tool := self.cleaned_data["tool"]:
            bits.append(f"with a {self.tool_names[tool].lower()} technique")
        return " ".join(bits)


def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return list(used_tool_choices()), list(region_part_choices())


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=search.MAX_LENGTH,
        label="Search",
        strip=False,  # clean_q tells a search of only spaces from no search at all
        error_messages={
            "max_length": f"Please keep your search under {search.MAX_LENGTH} characters.",
            "null_characters_not_allowed": search.CONTROL_CHARACTER,
        },
    )

    def clean_q(self) -> str:
        """The query as search.clean leaves it, or why it cannot be searched."""
        raw: str = self.cleaned_data["q"]
        if message := search.problem(raw):
            raise forms.ValidationError(message)
        return search.clean(raw)

    def shown_value(self) -> str:
        """What the search box shows again: the search as run, or as typed without the
        characters it could not use."""
        return search.printable(self.data.get("q", ""))
