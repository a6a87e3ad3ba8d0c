from datetime import date

AS_OF = date(2026, 11, 25)  # the facts file was compiled on this day
LAUNCH_RECRUITING_FROM = date(2024, 1, 5)
LAUNCH_LIVE_FROM = date(2024, 2, 3)
