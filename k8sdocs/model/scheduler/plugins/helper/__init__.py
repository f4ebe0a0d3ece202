"""Shared plugin helpers (upstream pkg/scheduler/framework/plugins/helper)."""

from .normalize_score import default_normalize_score, default_normalize_values
from .shape_score import FunctionShapePoint, build_broken_linear_function
from .taints import (
    TaintParseError,
    do_not_schedule_taints_filter,
    find_matching_untolerated_taint,
    tolerates_taint,
    tolerations_tolerate_taint,
)

__all__ = [
    "FunctionShapePoint",
    "TaintParseError",
    "build_broken_linear_function",
    "default_normalize_score",
    "default_normalize_values",
    "do_not_schedule_taints_filter",
    "find_matching_untolerated_taint",
    "tolerates_taint",
    "tolerations_tolerate_taint",
]
