"""Hard failures: the few problems that stop work on a file. Everything else is an Issue."""

from __future__ import annotations


class SakipError(Exception):
    """Base of sakip-xl's errors; the message is for the user, in Bahasa Indonesia."""


class UnreadableFile(SakipError):
    """The file cannot be opened as a workbook (missing, corrupt, encrypted, other format)."""


class ContractError(SakipError):
    """The workbook lacks a required sheet or column of the contract."""

    def __init__(self, message: str, issues: list | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []  # report.Issue findings naming each missing sheet/column


class WriteError(SakipError):
    """An output file cannot be written."""


class UsageError(SakipError):
    """The command was asked something it cannot do (wrong option values, existing output)."""
