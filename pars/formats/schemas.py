"""The MedBiquitous XSDs shipped under pars/schemas/medbiq/, loaded offline.

Their imports name http://ns.medbiq.org/... addresses; a resolver maps that prefix to the local
folder, and the parser may not use the network, so validation never fetches anything.
"""

from functools import cache
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent / "schemas"
PREFIXES = {"http://ns.medbiq.org/": ROOT / "medbiq"}
# Schemas Activity Report v2 imports that are not MedBiquitous's: small local stand-ins.
STANDINS = {
    "http://www.w3.org/2004/08/xop/include": ROOT / "standins" / "xop-include.xsd",
    "http://www.dublincore.org/schemas/xmls/qdc/dcterms.xsd": ROOT / "standins" / "dcterms.xsd",
    "http://www.w3.org/2001/xml.xsd": ROOT / "standins" / "xml.xsd",
}
METRICS = "metrics/v1/medicaleducationmetrics.xsd"  # one MedicalEducationMetrics (an activity)
ACTIVITY_REPORT = "../standins/activityreport-v2.xsd"  # learner completions (see that file)


class LocalSchemas(etree.Resolver):
    def resolve(self, url, public_id, context):
        if url and url.strip() in STANDINS:
            return self.resolve_filename(str(STANDINS[url.strip()]), context)
        for prefix, folder in PREFIXES.items():
            if url and url.startswith(prefix):
                return self.resolve_filename(str(folder / url.removeprefix(prefix)), context)
        return None  # anything else fails to load: the parser has no network


@cache
def schema(entry: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(LocalSchemas())
    document = etree.parse(str(ROOT / "medbiq" / entry), parser)
    return etree.XMLSchema(document)


def errors(element: etree._Element, entry: str) -> list[str]:
    """Why ``element`` does not validate against the schema ``entry`` (empty when it does)."""
    checker = schema(entry)
    if checker.validate(etree.ElementTree(element)):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
