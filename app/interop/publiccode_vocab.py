"""The value sets of the publiccode.yml standard (v0.x) and how they map onto the catalogue.

The lists are copied from the standard (``docs/standard/categories-list.rst``,
``scope-list.rst``) as the reference validator italia/publiccode-parser-go enforces them.
"""

from __future__ import annotations

SUPPORTED_VERSIONS = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5",
    "0.5.0",
)
"""Values of ``publiccodeYmlVersion`` the v0 validator accepts."""

CURRENT_VERSIONS = ("0", "0.5", "0.5.0")
"""Versions that are read without the "not the latest version" warning."""

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")

SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)

MAINTENANCE_TYPES = ("internal", "contract", "community", "none")

IT_EXTENSION_VERSIONS = ("0.2", "1.0")

CATEGORIES = frozenset(
    """
    accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design
    design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management email-marketing
    employee-management enterprise-project-management enterprise-social-networking erp
    event-management facility-management feedback-and-reviews-management financial-reporting
    fleet-management fundraising gamification geographic-information-systems grant-management
    graphic-design help-desk hr ide identity-management instant-messaging
    integrated-library-system inventory-management it-asset-management it-development
    it-management it-security it-service-management knowledge-management
    learning-management-system marketing mind-mapping mobile-marketing mobile-payment
    network-management office online-booking online-community payment-gateway payroll
    predictive-analysis procurement productivity-suite project-collaboration project-management
    property-management real-estate-management regulations-and-directives remote-support
    resource-management sales-management seo service-desk social-media-management survey
    talent-management task-management taxes-management test-management time-management
    time-tracking translation video-conferencing video-editing visitor-management voip
    warehouse-management web-collaboration web-conferencing whistleblowing website-builder
    workflow-management other
    """.split()
)
"""``categories``: the standard's closed list."""

SCOPES = frozenset(
    """
    agriculture culture defence education emergency-services employment energy environment
    finance-and-economic-development foreign-affairs government healthcare infrastructures
    justice local-authorities manufacturing research science-and-technology security society
    sport tourism transportation welfare
    """.split()
)
"""``intendedAudience.scope``: the standard's closed list."""

COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """.split()
)
"""ISO 3166-1 alpha-2 country codes (``intendedAudience.countries``)."""

STATUS_FROM_DEVELOPMENT = {
    "concept": "idea",
    "development": "development",
    "beta": "pilot",
    "stable": "production",
    "obsolete": "retired",
}
"""``developmentStatus`` → the catalogue's solution status (a one-to-one map)."""

DEVELOPMENT_FROM_STATUS = {status: dev for dev, status in STATUS_FROM_DEVELOPMENT.items()}

KIND_FROM_SOFTWARE_TYPE = {
    "standalone/mobile": "system",
    "standalone/iot": "system",
    "standalone/desktop": "system",
    "standalone/backend": "system",
    "standalone/other": "system",
    "standalone/web": "service",
    "addon": "integration",
    "library": "integration",
    "configurationFiles": "template",
}
"""``softwareType`` → the catalogue's kind."""

SOFTWARE_TYPE_FROM_KIND = {
    "system": "standalone/other",
    "service": "standalone/web",
    "integration": "addon",
    "automation": "standalone/backend",
    "template": "configurationFiles",
}
"""The catalogue's kind → ``softwareType``. A process (arbeidsprosess) is not software."""

THEMES_FROM_SCOPE = {
    "agriculture": "naring",
    "culture": "kultur-idrett-og-fritid",
    "defence": "samfunnssikkerhet-og-beredskap",
    "education": "skole-og-utdanning",
    "emergency-services": "samfunnssikkerhet-og-beredskap",
    "employment": "arbeid",
    "energy": "natur-klima-og-miljo",
    "environment": "natur-klima-og-miljo",
    "finance-and-economic-development": "naring",
    "government": "demokrati-og-innbyggerrettigheter",
    "healthcare": "helse-og-omsorg",
    "infrastructures": "bygg-og-eiendom",
    "justice": "lov-og-rett",
    "local-authorities": "demokrati-og-innbyggerrettigheter",
    "manufacturing": "naring",
    "research": "skole-og-utdanning",
    "science-and-technology": "skole-og-utdanning",
    "security": "samfunnssikkerhet-og-beredskap",
    "society": "sosiale-tjenester",
    "sport": "kultur-idrett-og-fritid",
    "tourism": "naring",
    "transportation": "trafikk-og-transport",
    "welfare": "sosiale-tjenester",
}
"""``intendedAudience.scope`` → LOS main theme slug. Slugs the database lacks are ignored."""

SCOPE_FROM_THEME = {
    "arbeid": "employment",
    "bygg-og-eiendom": "infrastructures",
    "demokrati-og-innbyggerrettigheter": "local-authorities",
    "familie-og-barn": "welfare",
    "helse-og-omsorg": "healthcare",
    "kultur-idrett-og-fritid": "culture",
    "lov-og-rett": "justice",
    "naring": "finance-and-economic-development",
    "natur-klima-og-miljo": "environment",
    "samfunnssikkerhet-og-beredskap": "emergency-services",
    "skatt-og-avgift": "finance-and-economic-development",
    "skole-og-utdanning": "education",
    "sosiale-tjenester": "welfare",
    "trafikk-og-transport": "transportation",
}
"""LOS main theme slug → the nearest ``intendedAudience.scope`` (export)."""

DEFAULT_THEME = "demokrati-og-innbyggerrettigheter"
"""Theme of an imported solution whose file names no scope the catalogue can map (a warning
says so, and the owner can change it)."""
