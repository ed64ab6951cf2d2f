"""The method note printed with every report: definitions, denominators, weighting, limits."""

from __future__ import annotations

from bot.answers.pay_period import CONVERSION_RULE

METHOD_NOTE: tuple[tuple[str, str], ...] = (
    (
        "Trainees due (response-rate denominator)",
        "All trainees of the programme (or cohort) not deleted, including those who opted out, "
        "whose wave has come by the report date: baseline for everyone; exit once the cohort's "
        "end date has passed; the N-month follow-up once N months have passed since the end "
        "date. A trainee who was sent the wave or answered it early also counts as due.",
    ),
    (
        "Respondent",
        "A trainee who recorded at least one answer in the wave. Each indicator is computed "
        "over the respondents who answered the questions it needs (n); questions not asked "
        "because of skip logic, skipped or left unanswered are missing, never 'no' or 0.",
    ),
    (
        "Labour-market status (ICLS, one-week reference)",
        "Employed: worked at least one hour last week, or temporarily absent from a job. "
        "Unemployed: not employed, looked for work in the last four weeks and available within "
        "two weeks. Otherwise outside the labour force.",
    ),
    (
        "Rates",
        "Employment rate = employed / respondents; unemployment rate = unemployed / (employed + "
        "unemployed); inactivity = outside the labour force / respondents.",
    ),
    (
        "Status in employment (ICSE-18)",
        "Wage employment = employees; self-employment = employers + own-account workers; "
        "shares of the employed who answered the question.",
    ),
    (
        "Formality",
        "Employees: formal with a written contract and employer social-security contributions. "
        "Employers and own-account workers: formal when the business is registered. "
        "Contributing family workers are not classified.",
    ),
    (
        "Time to first job",
        "Months from the end of training to the first job (asked of those working or who had a "
        "job since training). 'All respondents' counts those who never had a job as not within "
        "6 months.",
    ),
    (
        "Earnings",
        "Monthly earnings of the employed who answered, per currency (never converted between "
        "currencies). The change against baseline uses trainees with both amounts in the same "
        "currency. The 'earns more' objective check counts no work as no work income.",
    ),
    (
        "Earnings paid per day, week or hour",
        "Trainees give earnings in the period they are paid; the amount is kept as typed with "
        "its period and the analysis uses the monthly equivalent: " + CONVERSION_RULE + ". "
        "Days (or hours) worked in a usual week are asked right after a daily, weekly or "
        "hourly amount; without that answer a daily or hourly amount has no monthly "
        "equivalent and is missing, never guessed. A range is used at its midpoint once the "
        "trainee confirms it; an irregular income is asked again as a usual month. An amount "
        "whose currency is unknown (not typed, no country set for the cohort or programme) is "
        "asked again and never enters the figures. The earnings table says how many amounts "
        "were converted from another pay period.",
    ),
    (
        "Expectations vs outcomes",
        "For each main expectation stated at baseline: whether the trainee says it was met, "
        "next to an objective check (get a job → employed; start a business → self-employed; "
        "earn more → earnings above baseline; get a certificate → certificate at exit). "
        "'Learn a skill' has no objective check.",
    ),
    (
        "Ratings",
        "Satisfaction and usefulness on a 1-5 scale: mean and share rating 4 or 5.",
    ),
    (
        "Non-response weighting",
        "Weighted figures weight each respondent by the inverse of the wave's response rate in "
        "their cell programme × sex × age band (from the cohort import, else the baseline answer, "
        "else 'unknown'). Cells without respondents are carried by programme × sex, then by the "
        "programme. Weighting corrects only for differences these variables explain.",
    ),
    (
        "Breakdowns",
        "Sex and age band (age in the cohort's start year) from the baseline answers, falling "
        "back to the cohort import; completion status from the exit answer ('unknown' if none).",
    ),
    (
        "Small cells",
        "Figures from fewer than 5 respondents are suppressed and shown as 'n<5'.",
    ),
)


def method_text() -> str:
    """The method note as plain text (CSV folder, workbook)."""
    return "\n\n".join(f"{term}: {text}" for term, text in METHOD_NOTE)
