"""Manifests: every rejection names the file, the 1-based document and the field, then Kubernetes' own words.

Expected texts are upstream's, built from the constants in
staging/src/k8s.io/apimachinery/pkg/api/validate/content/{dns,kube}.go and util/validation/validation.go
(@008b3652959ca58af8be3fb5b6ecfe9ae7638282: RegexError, MaxLenError), field/errors.go (Error/ErrorBody),
api/meta/errors.go (NoKindMatchError) and api/resource/quantity.go (ErrFormatWrong).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from k8sdocs.model.manifests import ManifestError, load_manifest_file, parse_manifests

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
LABEL_KEY_NAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
QUANTITY_MSG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation "
    "is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)

NODE = "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n"


def pod(name: str = "web-1", labels: str = "{app: web}", cpu: str = "250m") -> str:
    return textwrap.dedent(
        f"""\
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          labels: {labels}
        spec:
          containers:
          - name: nginx
            image: nginx:1.27
            resources:
              requests:
                cpu: {cpu}
        """
    )


def write(tmp_path: Path, text: str, name: str = "cluster.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def load_error(tmp_path: Path, text: str) -> tuple[Path, ManifestError]:
    p = write(tmp_path, text)
    with pytest.raises(ManifestError) as e:
        load_manifest_file(p)
    return p, e.value


def test_valid_multi_document_file_loads_in_order(tmp_path):
    p = write(tmp_path, "---\n" + NODE + "---\n# comment only\n---\n" + pod())
    objs = load_manifest_file(p)
    assert [(o["kind"], o["metadata"]["name"]) for o in objs] == [("Node", "node-1"), ("Pod", "web-1")]


def test_invalid_yaml_names_file_document_line_and_column(tmp_path):
    p, e = load_error(tmp_path, NODE + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   labels: x\n")
    assert (e.document, e.line, e.column) == (2, 10, 10)  # line counted in the file, 1-based
    assert str(e) == f"{p}: document 2: line 10, column 10: mapping values are not allowed here"


def test_unknown_kind_uses_kubectl_words(tmp_path):
    p, e = load_error(tmp_path, NODE + "---\napiVersion: example.com/v1\nkind: Foo\nmetadata: {name: a}\n")
    assert str(e) == f'{p}: document 2: kind: no matches for kind "Foo" in version "example.com/v1"'


def test_kind_in_wrong_group_is_unknown(tmp_path):
    p, e = load_error(tmp_path, "apiVersion: v1\nkind: Deployment\nmetadata: {name: web}\n")
    assert str(e) == f'{p}: document 1: kind: no matches for kind "Deployment" in version "v1"'


def test_garbled_quantity_names_the_field(tmp_path):
    p, e = load_error(tmp_path, NODE + "---\n" + pod(cpu='"2 cores"'))
    assert e.document == 2
    assert e.field == "spec.containers[0].resources.requests.cpu"
    assert str(e) == f'{p}: document 2: spec.containers[0].resources.requests.cpu: Invalid value: "2 cores": {QUANTITY_MSG}'


def test_invalid_object_name(tmp_path):
    p, e = load_error(tmp_path, pod(name="Web_1"))
    assert e.field == "metadata.name"
    assert str(e) == f'{p}: document 1: metadata.name: Invalid value: "Web_1": {SUBDOMAIN_MSG}'


def test_too_long_name_reports_max_length_and_regex(tmp_path):
    name = "a" * 250 + "-"  # 251 chars: length is fine, trailing dash is not
    p, e = load_error(tmp_path, pod(name=name + "x" * 10))
    assert "must be no more than 253 characters" in str(e)


def test_service_names_are_dns1035_labels(tmp_path):
    # pkg/apis/core/validation: ValidateServiceName = apimachineryvalidation.NameIsDNS1035Label
    svc = "apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\nspec: {ports: [{port: 80}]}\n"
    p, e = load_error(tmp_path, svc)
    assert str(e) == f'{p}: document 1: metadata.name: Invalid value: "1web": {DNS1035_MSG}'


def test_namespace_names_are_rfc1123_labels(tmp_path):
    p, e = load_error(tmp_path, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team.a}\n")
    assert str(e) == f'{p}: document 1: metadata.name: Invalid value: "team.a": must not contain dots'


def test_invalid_label_value(tmp_path):
    p, e = load_error(tmp_path, NODE + "---\n" + NODE.replace("node-1", "node-2") + "---\n" + pod(labels="{app: -web}"))
    assert e.document == 3 and e.field == "metadata.labels"
    assert str(e) == f'{p}: document 3: metadata.labels: Invalid value: "-web": {LABEL_VALUE_MSG}'


def test_invalid_label_key(tmp_path):
    p, e = load_error(tmp_path, pod(labels='{"example.com/-app": web}'))
    assert str(e) == f'{p}: document 1: metadata.labels: Invalid value: "example.com/-app": {LABEL_KEY_NAME_MSG}'


def test_container_name_and_image_required(tmp_path):
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: Web\n  - {}\n"
    p, e = load_error(tmp_path, text)
    s = str(e)
    assert s.startswith(f"{p}: document 1: [spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label")
    assert "spec.containers[0].image: Required value" in s
    assert "spec.containers[1].name: Required value" in s


def test_missing_api_version_and_kind(tmp_path):
    p, e = load_error(tmp_path, "kind: Pod\nmetadata: {name: a}\n")
    assert str(e) == f"{p}: document 1: apiVersion: apiVersion not set"
    p, e = load_error(tmp_path, "apiVersion: v1\nmetadata: {name: a}\n")
    assert str(e) == f"{p}: document 1: kind: kind not set"


def test_deployment_selector_must_match_template(tmp_path):
    text = textwrap.dedent(
        """\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: c, image: nginx}]}
        """
    )
    p, e = load_error(tmp_path, text)
    # pkg/apis/apps/validation/validation.go ValidatePodTemplateSpecForReplicaSet (value printed with %#v)
    assert str(e) == (
        f'{p}: document 1: spec.template.metadata.labels: Invalid value: map[string]string{{"app":"api"}}: '
        "`selector` does not match template `labels`"
    )


def test_list_kind_is_expanded_and_errors_point_into_items(tmp_path):
    text = "apiVersion: v1\nkind: List\nitems:\n- " + NODE.replace("\n", "\n  ").rstrip() + "\n- apiVersion: v1\n  kind: Node\n  metadata: {name: Bad_Node}\n"
    p, e = load_error(tmp_path, text)
    assert str(e).startswith(f'{p}: document 1: items[1].metadata.name: Invalid value: "Bad_Node": ')


def test_inline_strings_use_the_given_source_name():
    with pytest.raises(ManifestError) as e:
        parse_manifests(pod(name="x" * 254), "inline.yaml")
    assert str(e.value).startswith('inline.yaml: document 1: metadata.name: Invalid value: "xxxx')
    assert "must be no more than 253 characters" in str(e.value)


DEPLOY = textwrap.dedent(
    """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: REPLICAS
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: c
            image: nginx:1.27
            env:
            - {name: DEBUG, value: ENV}
    """
)


def test_unknown_field_is_a_strict_decoding_error(tmp_path):
    # kubectl --validate=strict (default): real output `... cannot be handled as a Deployment: strict decoding
    # error: unknown field "spec.replica"`
    p, e = load_error(tmp_path, DEPLOY.replace("replicas: REPLICAS", "replica: 3").replace("ENV", '"1"'))
    assert str(e) == f'{p}: document 1: spec.replica: strict decoding error: unknown field "spec.replica"'


def test_wrong_json_type_uses_go_decoder_words(tmp_path):
    # real output: `json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.value
    # of type string`
    p, e = load_error(tmp_path, DEPLOY.replace("REPLICAS", "2").replace("ENV", "true"))
    assert str(e) == (
        f"{p}: document 1: spec.template.spec.containers[0].env[0].value: json: cannot unmarshal bool into Go "
        "struct field EnvVar.spec.template.spec.containers.env.value of type string"
    )
    p, e = load_error(tmp_path, DEPLOY.replace("REPLICAS", '"3"').replace("ENV", '"1"'))
    assert str(e).endswith("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")


def test_duplicate_keys_are_rejected_with_their_line(tmp_path):
    p, e = load_error(tmp_path, NODE + "---\n" + DEPLOY.replace("REPLICAS", "2\n  replicas: 3").replace("ENV", '"1"'))
    assert str(e) == f'{p}: document 2: line 11, column 3: key "replicas" already set in map'
