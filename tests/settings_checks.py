"""Checks that a front end's command line spells, defaults and limits each setting as the table does."""
from __future__ import annotations

import argparse
from types import ModuleType
from typing import Iterable

from pointskel_blender.core import settings as core_settings


def assert_flags_follow_the_table(parser: argparse.ArgumentParser, entries: Iterable) -> None:
    """Every entry with flags is there with the table's spellings, type, choices and default (a flag of a
    setting that defaults to True turns it off)."""
    actions = {action.dest: action for action in parser._actions}
    for entry in entries:
        if not entry.flags:
            assert entry.name not in actions, entry.name
            continue
        action = actions[entry.name]
        assert action.option_strings == list(entry.flags), entry.name
        if entry.kind is bool:
            expected = argparse._StoreFalseAction if entry.default else argparse._StoreTrueAction
            assert type(action) is expected, entry.name
            continue
        assert action.type is entry.kind, entry.name
        assert tuple(action.choices or ()) == entry.values, entry.name
        assert action.default == (None if entry.when_given else entry.default), entry.name


def assert_parser_follows_the_table(
    parser: argparse.ArgumentParser, required: list[str], table: ModuleType = core_settings
) -> None:
    """The pipeline settings and --allow-download follow the table, and parsing no setting flags gives the
    default settings. `table` is the settings module the parser's package loaded (the add-on under Blender
    is its own package)."""
    assert_flags_follow_the_table(parser, (*table.SETTINGS.values(), table.ALLOW_DOWNLOAD))
    args = parser.parse_args(required)
    assert table.settings_from_args(args) == table.PipelineSettings()
    assert args.allow_download is False
