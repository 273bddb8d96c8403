"""The default sales territories and their countries (ISO 3166 codes).

Every country belongs to exactly one default territory, so a deal's country always finds its
territory until a vendor edits them. Antarctica and uninhabited territories are left out.
"""

NAM = (
    "US", "CA", "PR", "VI", "GU", "AS", "MP", "UM", "BM", "PM",
)  # fmt: skip

LATAM = (
    # Mexico, Central America, the Caribbean
    "MX", "BZ", "CR", "SV", "GT", "HN", "NI", "PA",
    "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD", "GP", "HT", "JM", "KN",
    "KY", "LC", "MF", "MQ", "MS", "SX", "TC", "TT", "VC", "VG",
    # South America
    "AR", "BO", "BR", "CL", "CO", "EC", "FK", "GF", "GY", "PE", "PY", "SR", "UY", "VE",
)  # fmt: skip

EMEA = (
    # Europe
    "AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
    "FO", "FR", "GB", "GG", "GI", "GL", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT",
    "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI",
    "SJ", "SK", "SM", "UA", "VA",
    # Middle East and Central Asia
    "AE", "AM", "AZ", "BH", "GE", "IL", "IQ", "IR", "JO", "KG", "KW", "KZ", "LB", "OM", "PS", "QA",
    "SA", "SY", "TJ", "TM", "TR", "UZ", "YE",
    # Africa
    "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "DZ", "EG", "EH", "ER",
    "ET", "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "LY", "MA", "MG", "ML", "MR",
    "MU", "MW", "MZ", "NA", "NE", "NG", "RE", "RW", "SC", "SD", "SH", "SL", "SN", "SO", "SS", "ST",
    "SZ", "TD", "TG", "TN", "TZ", "UG", "YT", "ZA", "ZM", "ZW",
)  # fmt: skip

APAC = (
    # Asia
    "AF", "BD", "BN", "BT", "CN", "HK", "ID", "IN", "IO", "JP", "KH", "KP", "KR", "LA", "LK", "MM",
    "MN", "MO", "MV", "MY", "NP", "PH", "PK", "SG", "TH", "TL", "TW", "VN",
    # Oceania
    "AU", "CC", "CK", "CX", "FJ", "FM", "KI", "MH", "NC", "NF", "NR", "NU", "NZ", "PF", "PG", "PN",
    "PW", "SB", "TK", "TO", "TV", "VU", "WF", "WS",
)  # fmt: skip

# code → (name, countries), in the order vendors see them.
DEFAULT_TERRITORIES = {
    "NAM": ("North America", NAM),
    "LATAM": ("Latin America and the Caribbean", LATAM),
    "EMEA": ("Europe, Middle East and Africa", EMEA),
    "APAC": ("Asia Pacific", APAC),
}
