"""Domain errors: each carries a message a user can read as it is."""

from investigations.state_machine import IllegalTransition


class InvestigationError(Exception):
    """Base class of every refusal the domain explains to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTitle(InvestigationError):  # noqa: N818
    """The title is empty or too long."""


class InvestigationNotFound(InvestigationError):  # noqa: N818
    """No investigation matches (for example, a command outside a case channel)."""


class EvidenceAlreadyCollected(InvestigationError):  # noqa: N818
    """The message is already linked to this investigation."""


class SameCommander(InvestigationError):  # noqa: N818
    """A transfer to the person who already commands the incident."""


class NameExhausted(InvestigationError):  # noqa: N818
    """No free channel name was found within the bounded number of draws."""


class TransitionRefused(InvestigationError):  # noqa: N818
    """An illegal or repeated action, with the state machine's explanation."""

    @classmethod
    def from_illegal(cls, error: IllegalTransition) -> "TransitionRefused":
        return cls(error.message)
