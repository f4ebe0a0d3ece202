"""ImageLocality (upstream pkg/scheduler/framework/plugins/imagelocality/image_locality.go@65faa9c6).

sum = Σ over init and regular containers whose normalized image (":latest" appended when untagged) is on the node of
int64(sizeBytes × numNodesWithImage / totalNumNodes); clamped to [23 MiB, 1000 MiB × numContainers];
score = 100 × (sum − 23 MiB) / (maxThreshold − 23 MiB) (int64 division). No NormalizeScore. Default weight 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sdocs.model.scheduler.framework.status import CycleState, Status
from k8sdocs.model.scheduler.framework.types import NodeInfo

NAME = "ImageLocality"
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB  # image_locality.go minThreshold
MAX_CONTAINER_THRESHOLD = 1000 * MB  # image_locality.go maxContainerThreshold
MAX_NODE_SCORE = 100


def normalized_image_name(name: str) -> str:
    if name.rfind(":") <= name.rfind("/"):
        name = name + ":latest"
    return name


def _go_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    if sum_scores < MIN_THRESHOLD:
        sum_scores = MIN_THRESHOLD
    elif sum_scores > max_threshold:
        sum_scores = max_threshold
    return _go_div(MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD), max_threshold - MIN_THRESHOLD)


class ImageLocality:
    name = NAME

    def __init__(self, args: Mapping[str, Any] | None = None, handle: Any = None) -> None:
        self.handle = handle

    def sign_pod(self, pod: Mapping[str, Any]) -> tuple[Any, ...]:
        snapshot = self.handle.snapshot
        return (tuple(self._images(pod)), snapshot.image_generation, snapshot.num_nodes())

    @staticmethod
    def _images(pod: Mapping[str, Any]) -> list[str]:
        spec = pod.get("spec") or {}
        containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
        return [normalized_image_name(str(c.get("image") or "")) for c in containers]

    def _score(self, images: list[str], node_info: NodeInfo, total: int) -> int:
        total_sum = 0
        for image in images:
            state = node_info.image_states.get(image)
            if state is not None and total:
                total_sum += int(float(state.size) * (float(state.num_nodes) / float(total)))
        return calculate_priority(total_sum, len(images))

    def score(self, state: CycleState, pod: Mapping[str, Any], node_info: NodeInfo) -> tuple[int, Status]:
        total = self.handle.snapshot.num_nodes()
        return self._score(self._images(pod), node_info, total), Status()

    def score_nodes(
        self, state: CycleState, pod: Mapping[str, Any], nodes: Sequence[NodeInfo]
    ) -> tuple[list[int], Status]:
        """Batch form of ``score``: when no node of the snapshot has any of the pod's images, every score is 0."""
        images = self._images(pod)
        snapshot = self.handle.snapshot
        if not any(snapshot.image_num_nodes(i) for i in images):
            base = calculate_priority(0, len(images))
            return [base] * len(nodes), Status()
        total = snapshot.num_nodes()
        return [self._score(images, ni, total) for ni in nodes], Status()
