"""apimachinery's string validators, with their exact messages (one copy for the whole model).

Upstream, Kubernetes v1.35 (kubernetes/apimachinery tag kubernetes-1.35.7, commit 3e341b59324be42ccd4734b225ffc551e74af747):

* ``pkg/util/validation/validation.go``: IsDNS1123Label, IsDNS1123Subdomain, IsDNS1123SubdomainWithUnderscore,
  IsDNS1035Label, IsWildcardDNS1123Subdomain, IsValidPortNum, IsInRange, IsValidGroupID, IsValidUserID,
  IsValidPortName, IsValidPercent, IsHTTPHeaderName, IsEnvVarName, IsRelaxedEnvVarName, IsConfigMapKey and the
  helpers MaxLenError ("characters"), RegexError, EmptyError, InclusiveRangeError. ``IsQualifiedName`` and
  ``IsValidLabelValue`` are aliases of ``content.IsLabelKey`` / ``content.IsLabelValue``.
* ``pkg/api/validate/content/{kube,dns,errors,identifier,decimal_int}.go``: IsLabelKey, IsLabelValue, the content
  copy of IsDNS1123Label/Subdomain used by IsLabelKey, IsCIdentifier, IsDecimalInteger; content.MaxLenError says
  "bytes" where validation.MaxLenError says "characters".

Go's ``regexp.MatchString`` with ``^...$`` anchors: ``$`` does not match before a trailing newline, so Python's
``fullmatch`` is used. Lengths are Go byte lengths (``len(string)``), i.e. UTF-8 bytes.
"""

from __future__ import annotations

import re

# -- helpers (validation.go / content/errors.go) ---------------------------------------------------


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """``RegexError`` (validation.go and content/errors.go): note the double space before ``or`` upstream prints."""
    if not examples:
        return msg + " (regex used for validation is '" + fmt + "')"
    out = msg + " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            out += " or "
        out += "'" + example + "', "
    return out + "regex used for validation is '" + fmt + "')"


def max_len_error(length: int) -> str:
    """validation.MaxLenError."""
    return f"must be no more than {length} characters"


def content_max_len_error(length: int) -> str:
    """content.MaxLenError (used by IsLabelKey / IsLabelValue in v1.35)."""
    return f"must be no more than {length} bytes"


def empty_error() -> str:
    return "must be non-empty"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def _blen(value: str) -> int:
    return len(value.encode("utf-8"))


def _match(regex: re.Pattern[str], value: str) -> bool:
    return regex.fullmatch(value) is not None


# -- content package (kube.go, dns.go) --------------------------------------------------------------
DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_FMT_WITH_UNDERSCORE = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
DNS1123_LABEL_ERR_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*"
DNS1123_SUBDOMAIN_ERR_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_FMT_WITH_UNDERSCORE = (
    DNS1123_LABEL_FMT_WITH_UNDERSCORE + "(\\." + DNS1123_LABEL_FMT_WITH_UNDERSCORE + ")*"
)
DNS1123_SUBDOMAIN_ERR_MSG_FG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_CASELESS_ERR_MSG = (
    "an RFC 1123 subdomain must consist of alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
DNS1035_LABEL_ERR_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
DNS1035_LABEL_MAX_LENGTH = 63
WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT
WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of "
    "lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
)
LABEL_KEY_CHAR_FMT = "[A-Za-z0-9]"
LABEL_KEY_EXT_CHAR_FMT = "[-A-Za-z0-9_.]"
LABEL_KEY_FMT = "(" + LABEL_KEY_CHAR_FMT + LABEL_KEY_EXT_CHAR_FMT + "*)?" + LABEL_KEY_CHAR_FMT
LABEL_KEY_ERR_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
LABEL_KEY_MAX_LENGTH = 63
LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?"
LABEL_VALUE_ERR_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
LABEL_VALUE_MAX_LENGTH = 63
C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*"
C_IDENTIFIER_ERR_MSG = (
    "a valid C identifier must start with alphabetic character or '_', "
    "followed by a string of alphanumeric characters or '_'"
)
DECIMAL_INTEGER_ERR_MSG = "must be a valid decimal integer in canonical form"

_dns1123_label_re = re.compile(DNS1123_LABEL_FMT)
_dns1123_subdomain_re = re.compile(DNS1123_SUBDOMAIN_FMT)
_dns1123_subdomain_caseless_re = re.compile(DNS1123_SUBDOMAIN_FMT, re.IGNORECASE)
_dns1123_subdomain_underscore_re = re.compile(DNS1123_SUBDOMAIN_FMT_WITH_UNDERSCORE)
_dns1035_label_re = re.compile(DNS1035_LABEL_FMT)
_wildcard_re = re.compile(WILDCARD_DNS1123_SUBDOMAIN_FMT)
_label_key_re = re.compile(LABEL_KEY_FMT)
_label_value_re = re.compile(LABEL_VALUE_FMT)
_c_identifier_re = re.compile(C_IDENTIFIER_FMT)


def _dns1123_label(value: str, *, content: bool) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append((content_max_len_error if content else max_len_error)(DNS1123_LABEL_MAX_LENGTH))
    if not _match(_dns1123_label_re, value):
        if _match(_dns1123_subdomain_re, value):
            # "It was a valid subdomain and not a valid label. Since we already checked length, it must be dots."
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def _dns1123_subdomain(value: str, *, content: bool, caseless: bool = False) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append((content_max_len_error if content else max_len_error)(DNS1123_SUBDOMAIN_MAX_LENGTH))
    regex = _dns1123_subdomain_caseless_re if caseless else _dns1123_subdomain_re
    if not _match(regex, value):
        if caseless:
            errs.append(regex_error(DNS1123_SUBDOMAIN_CASELESS_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "Example.com"))
        else:
            errs.append(regex_error(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def content_is_dns1123_label(value: str) -> list[str]:
    """content.IsDNS1123Label."""
    return _dns1123_label(value, content=True)


def content_is_dns1123_subdomain(value: str) -> list[str]:
    """content.IsDNS1123Subdomain."""
    return _dns1123_subdomain(value, content=True)


def is_dns1123_subdomain_caseless(value: str) -> list[str]:
    """content.IsDNS1123SubdomainCaseless (deprecated upstream)."""
    return _dns1123_subdomain(value, content=True, caseless=True)


def is_label_key(value: str) -> list[str]:
    """content.IsLabelKey (= validation.IsQualifiedName in v1.35)."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if len(prefix) == 0:
            errs.append("prefix part " + empty_error())
        else:
            errs.extend("prefix part " + m for m in content_is_dns1123_subdomain(prefix))
    else:
        return [
            "a valid label key "
            + regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if len(name) == 0:
        errs.append("name part " + empty_error())
    elif _blen(name) > LABEL_KEY_MAX_LENGTH:
        errs.append("name part " + content_max_len_error(LABEL_KEY_MAX_LENGTH))
    if not _match(_label_key_re, name):
        errs.append("name part " + regex_error(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"))
    return errs


def is_label_value(value: str) -> list[str]:
    """content.IsLabelValue (= validation.IsValidLabelValue in v1.35)."""
    errs: list[str] = []
    if _blen(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(content_max_len_error(LABEL_VALUE_MAX_LENGTH))
    if not _match(_label_value_re, value):
        errs.append(regex_error(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


#: validation.IsQualifiedName / content.IsQualifiedName (deprecated aliases of IsLabelKey).
is_qualified_name = is_label_key
#: validation.IsValidLabelValue.
is_valid_label_value = is_label_value


def is_c_identifier(value: str) -> list[str]:
    """content.IsCIdentifier."""
    if not _match(_c_identifier_re, value):
        return [regex_error(C_IDENTIFIER_ERR_MSG, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName")]
    return []


def is_decimal_integer(value: str) -> list[str]:
    """content.IsDecimalInteger: canonical decimal form, no leading zeros or plus sign."""
    n = len(value)
    if n == 0:
        return [empty_error()]
    i = 0
    if value[0] == "-":
        if n == 1:
            return [DECIMAL_INTEGER_ERR_MSG]
        i = 1
    if value[i] == "0":
        if n == 1 and i == 0:
            return []
        return [DECIMAL_INTEGER_ERR_MSG]
    if not "1" <= value[i] <= "9":
        return [DECIMAL_INTEGER_ERR_MSG]
    if any(not "0" <= ch <= "9" for ch in value[i + 1 :]):
        return [DECIMAL_INTEGER_ERR_MSG]
    return []


# -- validation.go ----------------------------------------------------------------------------------


def is_dns1123_label(value: str) -> list[str]:
    """validation.IsDNS1123Label."""
    return _dns1123_label(value, content=False)


def is_dns1123_subdomain(value: str) -> list[str]:
    """validation.IsDNS1123Subdomain."""
    return _dns1123_subdomain(value, content=False)


def is_dns1123_subdomain_with_underscore(value: str) -> list[str]:
    """validation.IsDNS1123SubdomainWithUnderscore."""
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_dns1123_subdomain_underscore_re, value):
        errs.append(regex_error(DNS1123_SUBDOMAIN_ERR_MSG_FG, DNS1123_SUBDOMAIN_FMT_WITH_UNDERSCORE, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    """validation.IsDNS1035Label."""
    errs: list[str] = []
    if _blen(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(max_len_error(DNS1035_LABEL_MAX_LENGTH))
    if not _match(_dns1035_label_re, value):
        errs.append(regex_error(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_wildcard_dns1123_subdomain(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_wildcard_re, value):
        errs.append(regex_error(WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"))
    return errs


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_in_range(value: int, lo: int, hi: int) -> list[str]:
    return [] if lo <= value <= hi else [inclusive_range_error(lo, hi)]


_MAX_INT32 = 2**31 - 1


def is_valid_group_id(gid: int) -> list[str]:
    return [] if 0 <= gid <= _MAX_INT32 else [inclusive_range_error(0, _MAX_INT32)]


def is_valid_user_id(uid: int) -> list[str]:
    return [] if 0 <= uid <= _MAX_INT32 else [inclusive_range_error(0, _MAX_INT32)]


_port_name_charset_re = re.compile("[-a-z0-9]+")
_port_name_one_letter_re = re.compile("[a-z]")


def is_valid_port_name(port: str) -> list[str]:
    errs: list[str] = []
    if _blen(port) > 15:
        errs.append(max_len_error(15))
    if not _match(_port_name_charset_re, port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _port_name_one_letter_re.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


PERCENT_FMT = "[0-9]+%"
_percent_re = re.compile(PERCENT_FMT)


def is_valid_percent(percent: str) -> list[str]:
    if not _match(_percent_re, percent):
        return [regex_error("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT,
                            "1%", "93%")]
    return []


HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+"
_http_header_re = re.compile(HTTP_HEADER_NAME_FMT)


def is_http_header_name(value: str) -> list[str]:
    if not _match(_http_header_re, value):
        return [regex_error("a valid HTTP header must consist of alphanumeric characters or '-'",
                            HTTP_HEADER_NAME_FMT, "X-Header-Name")]
    return []


ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_env_var_re = re.compile(ENV_VAR_NAME_FMT)


def _has_chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_env_var_name(value: str) -> list[str]:
    errs: list[str] = []
    if not _match(_env_var_re, value):
        errs.append(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
            "and must not start with a digit", ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _has_chdir_prefix(value)


def is_relaxed_env_var_name(value: str) -> list[str]:
    errs: list[str] = []
    if len(value) == 0:
        errs.append("environment variable name " + empty_error())
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            errs.append("a valid environment variable name must consist only of printable ASCII characters other than '='")
            break
    return errs


CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_config_map_key_re = re.compile(CONFIG_MAP_KEY_FMT)


def is_config_map_key(value: str) -> list[str]:
    errs: list[str] = []
    if _blen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _match(_config_map_key_re, value):
        errs.append(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                                CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _has_chdir_prefix(value)


# -- Go's %q, for messages that quote a value ------------------------------------------------------


def go_quote(s: str) -> str:
    """Go's ``%q`` (strconv.Quote) for printable text and the common escapes."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\a":
            out.append("\\a")
        elif ch == "\b":
            out.append("\\b")
        elif ch == "\f":
            out.append("\\f")
        elif ch == "\v":
            out.append("\\v")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        elif not ch.isprintable():
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
