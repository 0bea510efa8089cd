"""``keyed_url`` gives what ``reverse`` gives, and refuses what it refuses."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from partnernet.base.links import keyed_url


@pytest.mark.parametrize("viewname", ["partnerships:detail", "directory:entity", "directory:entity_edit"])
@pytest.mark.parametrize("key", ["wmse-glam", "a", "K_9-x"])
def test_keyed_url_equals_reverse(viewname: str, key: str) -> None:
    assert keyed_url(viewname, key) == reverse(viewname, args=[key])


def test_keyed_url_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/partnernet/")
        assert keyed_url("partnerships:detail", "abc") == reverse("partnerships:detail", args=["abc"])
        assert keyed_url("partnerships:detail", "abc").startswith("/partnernet/")
    finally:
        set_script_prefix("/")
    assert not keyed_url("partnerships:detail", "abc").startswith("/partnernet/")


@pytest.mark.parametrize("key", ["", "with space", "a/b", "é"])
def test_a_key_the_pattern_refuses_fails_as_reverse_does(key: str) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("partnerships:detail", args=[key])
    with pytest.raises(NoReverseMatch):
        keyed_url("partnerships:detail", key)


@pytest.mark.parametrize(("kind", "region"), [("glam", "150"), ("open-data", "SE")])
def test_two_keys_equal_reverse(kind: str, region: str) -> None:
    assert keyed_url("matrix_cell", kind, region) == reverse("matrix_cell", args=[kind, region])


def test_a_region_code_with_other_characters_takes_reverse() -> None:
    assert keyed_url("matrix_cell", "glam", "a b") == reverse("matrix_cell", args=["glam", "a b"])
