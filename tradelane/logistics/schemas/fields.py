"""Input patterns shared by the logistics API shapes."""

from pydantic import ConfigDict

AMOUNT = r"^\d{1,12}(\.\d{1,4})?$"
KG = r"^\d{1,5}(\.\d{1,3})?$"
CM = r"^\d{1,4}(\.\d{1,1})?$"
CURRENCY = r"^[A-Z]{3}$"
COUNTRY = r"^[A-Z]{2}$"
FRACTION = r"^(0(\.\d{1,6})?|[1-4](\.\d{1,6})?|5(\.0{1,6})?)$"
STRICT = ConfigDict(strict=True, extra="forbid")
