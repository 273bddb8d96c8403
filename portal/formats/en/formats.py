# One date style across the portal ("24 Nov 2026", "24 Nov 2026, 14:05"), for US and UK English alike:
# unambiguous to partners on both sides of the Atlantic, unlike 11/24 vs 24/11.
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
