"""Spanish sentences for the cloud decisions (see k8sdocs/render/phrasebook/__init__.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from k8sdocs.render.phrasebook.words import count, items


def _initializing_node(f: Mapping[str, str]) -> str:
    return f"inicializa el nodo {f['node']} con el proveedor de nube"


def _ensuring_load_balancer(f: Mapping[str, str]) -> str:
    return (f"pide al proveedor de nube un balanceador de carga para {f['service']} "
            f"({count(len(items(f['nodes'])), 'nodo', 'nodos')} de destino)")


PHRASES: dict[str, Callable[[Mapping[str, str]], str]] = {
    "InitializingNode": _initializing_node,
    "EnsuringLoadBalancer": _ensuring_load_balancer,
}
