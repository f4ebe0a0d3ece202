"""API errors as kube-apiserver returns them: a ``metav1.Status`` failure with code, reason and message.

Texts from ``staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go``:
``NewNotFound``: ``%s %q not found``; ``NewAlreadyExists``: ``%s %q already exists``;
``NewConflict``: ``Operation cannot be fulfilled on %s %q: %v``; ``NewInvalid``: ``%s %q is invalid: %v``
(GroupKind, e.g. ``Deployment.apps``); ``NewForbidden``: ``%s %q is forbidden: %v``; the resource is
``schema.GroupResource.String()`` = ``pods`` for core, ``deployments.apps`` otherwise.
"""

from __future__ import annotations

from k8sdocs.model.resources import ResourceInfo
from k8sdocs.model.validation import FieldError, aggregate


class APIError(Exception):
    """A ``metav1.Status`` failure: HTTP ``code``, ``reason`` (StatusReason) and the message kubectl prints."""

    def __init__(self, code: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def not_found(info: ResourceInfo | str, name: str) -> APIError:
    res = info.qualified_resource if isinstance(info, ResourceInfo) else info
    return APIError(404, "NotFound", f'{res} "{name}" not found')


def no_such_resource() -> APIError:
    """A kind the server does not serve (the request's path matches no registered resource)."""
    return APIError(404, "NotFound", "the server could not find the requested resource")


def already_exists(info: ResourceInfo, name: str) -> APIError:
    return APIError(409, "AlreadyExists", f'{info.qualified_resource} "{name}" already exists')


def conflict(resource: str, name: str, err: str) -> APIError:
    return APIError(409, "Conflict", f'Operation cannot be fulfilled on {resource} "{name}": {err}')


def invalid(info: ResourceInfo, name: str, errs: list[FieldError]) -> APIError:
    return APIError(422, "Invalid", f'{info.qualified_kind} "{name}" is invalid: {aggregate(errs)}')


def forbidden(info: ResourceInfo, name: str, err: str) -> APIError:
    if name:
        return APIError(403, "Forbidden", f'{info.qualified_resource} "{name}" is forbidden: {err}')
    return APIError(403, "Forbidden", f"{info.qualified_resource} is forbidden: {err}")


def bad_request(message: str) -> APIError:
    return APIError(400, "BadRequest", message)
