"""Shared upstream API-type helpers, each once and named as upstream.

* ``validation``: apimachinery's string validators (``pkg/util/validation``, ``pkg/api/validate/content``).
* ``obj``: ``Obj``, the type of a manifest-shaped dict, and ``as_obj`` / ``as_list`` to read a field that may be absent.
* ``labels``: apimachinery's label selector parser and printer (``pkg/labels``) and the metav1 selector helpers.
* ``resource``: component-helpers' pod resource aggregation (``k8s.io/component-helpers/resource``).
* ``defaults``: core/v1 defaulting (``pkg/apis/core/v1/defaults.go`` + ``zz_generated.defaults.go``).
* ``apps_defaults``: apps/v1 defaulting (``pkg/apis/apps/v1/defaults.go``).
* ``qos``: ``pkg/apis/core/v1/helper/qos`` (GetPodQOS, ComputePodQOS).
* ``pod``: ``pkg/api/v1/pod`` helpers (FindPort, IsPodReady, IsPodAvailable, IsPodTerminal...).
* ``gotime``: Go's time.Duration text and RFC 3339 times as the helpers above exchange them.
"""
