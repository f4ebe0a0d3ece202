"""API-server validation split along upstream's seams (issue #15, item 3).

``k8sdocs.model.validation`` keeps the field-error machinery, object metadata and the first kinds; the rules
added for every field the model accepts live here, one module per upstream package:

* :mod:`.meta` - ``staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go``
  (``ValidateLabelName``, ``ValidateLabelSelector``) and Go's ``%#v`` renderings used in messages.
* :mod:`.core` - ``pkg/apis/core/validation/validation.go`` (Node, taints, tolerations, affinity, topology
  spread, env, container ports, resources, Service port uniqueness).

Upstream sources read for these rules (kubernetes/kubernetes, as stored by the look-up index):
``pkg/apis/core/validation/validation.go`` @000f26050b9be6fb3d79fae95e06b47fc96128cd,
``pkg/apis/core/helper/helpers.go`` @00010901c746f9ad7ae204b123615c2880d6f2fd,
``staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go`` @19e1ae1d2bb9cdae3bd629e04cfa36ba84949903,
``staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go`` @014a908cc4151fb52a3a3c9e1adc028a02ae2e6f.
"""
