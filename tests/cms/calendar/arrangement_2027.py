"""The 2027 arrangement the tests and docs/operations.md use: the shape of the State Council's notice (A11.1)."""

import datetime

from cms.calendar.arrangements import Arrangement, HolidayRange, SwappedDay

D = datetime.date
SOURCE = "国务院办公厅关于2027年部分节假日安排的通知"
HOLIDAYS = (
    HolidayRange("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    HolidayRange("春节", D(2027, 2, 5), D(2027, 2, 13)),
    HolidayRange("清明节", D(2027, 4, 3), D(2027, 4, 5)),
    HolidayRange("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
    HolidayRange("端午节", D(2027, 6, 9), D(2027, 6, 9)),
    HolidayRange("中秋节", D(2027, 9, 15), D(2027, 9, 15)),
    HolidayRange("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
)
SWAPPED = (
    SwappedDay(D(2027, 2, 14), "春节"),
    SwappedDay(D(2027, 4, 25), "劳动节"),
    SwappedDay(D(2027, 5, 8), "劳动节"),
    SwappedDay(D(2027, 9, 26), "国庆节"),
    SwappedDay(D(2027, 10, 9), "国庆节"),
)
HOLIDAY_DAYS = 3 + 9 + 3 + 5 + 1 + 1 + 7


def arrangement(**changes):
    values = {"year": 2027, "source": SOURCE, "holidays": HOLIDAYS, "swapped_days": SWAPPED, **changes}
    return Arrangement(**values)
