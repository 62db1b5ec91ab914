"""Reading XML files safely, for every XML format: no DOCTYPE or entity declarations (so no
external entity, no billion laughs), no network, no huge trees, and the records streamed one at
a time so a large file is never held whole as a tree.
"""

from collections.abc import Iterator
from io import BytesIO

from lxml import etree

from pars.formats.package import FormatError

SAFE = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def refuse_declarations(data: bytes) -> None:
    """PARS files never declare a DOCTYPE or entities; a file that does is refused unread."""
    head = data.upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise FormatError(
            "The XML declares a DOCTYPE or entities, which PARS files never do; it was not read."
        )


def elements(
    data: bytes, tag: str, noun: str, missing: str
) -> Iterator[tuple[int, etree._Element]]:
    """(number, element) for each ``tag`` (Clark notation; "{*}name" for any namespace), each
    cleared once the caller is done with it; ``noun`` names one in a syntax error, ``missing``
    is the message when there is none."""
    refuse_declarations(data)
    count = 0
    try:
        for count, (_, element) in enumerate(
            etree.iterparse(BytesIO(data), events=("end",), tag=tag, **SAFE), start=1
        ):
            yield count, element
            element.clear(keep_tail=True)
    except etree.XMLSyntaxError as error:
        raise FormatError(
            f"The XML is not well-formed (near {noun} {count + 1}): {error.msg}."
        ) from error
    if count == 0:
        raise FormatError(missing)
